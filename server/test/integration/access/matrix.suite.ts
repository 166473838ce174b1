// The authorization matrix, built from the route table: every route × every kind of caller → its
// status, and after every refused request the data unchanged, everywhere it lives (rows, cache,
// outbox, exports).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { suiteApp, type TestApp, type TestDatabaseOpener } from '../../kit/app.js';
import { imageForm, makeImage } from '../../kit/images.js';
import { openapiContract } from '../../kit/openapi-contract.js';
import { badTokens, type Caller, people } from './callers.js';
import { type Fixture, ROUTES, type Route } from './routes.js';

type Who = Awaited<ReturnType<typeof people>>;

/** A profile of a fresh owner, with an image, a cancellable task and an export of theirs. */
async function makeFixture(t: TestApp): Promise<{ f: Fixture; who: Who }> {
  const who = await people('matrix');
  const send = (headers: Record<string, string>, req: Record<string, unknown>) =>
    t.app.inject({ ...req, headers: { ...headers, ...(req.headers as Record<string, string>) } } as never);
  const created = await send(who.owner.headers, {
    method: 'POST',
    url: '/api/v1/profiles',
    payload: { name: 'Owned', email: who.ownerEmail },
  });
  assert.equal(created.statusCode, 201, created.body);
  const profileId = (created.json() as { id: string }).id;
  const form = imageForm(await makeImage.png(40, 30, Math.floor(Math.random() * 1000)));
  const uploaded = await send(who.owner.headers, {
    method: 'POST',
    url: `/api/v1/profiles/${profileId}/images`,
    payload: form.body,
    headers: { 'content-type': form.contentType },
  });
  assert.equal(uploaded.statusCode, 201, uploaded.body);
  const task = async () => {
    const res = await send(who.owner.headers, {
      method: 'POST',
      url: '/api/v1/tasks/delayed',
      payload: { type: 'profile.export', payload: { profile_id: profileId }, delay: '1h' },
    });
    assert.equal(res.statusCode, 202, res.body);
    return (res.json() as { id: string }).id;
  };
  const taskId = await task();
  const exportId = await task();
  await t.container.exportRepo.save(exportId, profileId, { format: 'profile-export/v1', profile: profileId });
  return { f: { profileId, imageId: (uploaded.json() as { id: string }).id, taskId, exportId }, who };
}

/** Everything a refused request must leave as it was. */
async function snapshot(t: TestApp, f: Fixture): Promise<string> {
  let n = 0;
  const q = (sql: string, params: unknown[] = []) =>
    t.container.db.query(sql, params, `test_snapshot_${n++}`);
  const parts = await Promise.all([
    q('SELECT * FROM profiles WHERE id = $1', [f.profileId]),
    q('SELECT count(*)::int AS n FROM profiles'),
    q('SELECT id, original_key FROM images WHERE profile_id = $1 ORDER BY id', [f.profileId]),
    q('SELECT id, status, updated_at FROM tasks WHERE id = ANY($1::uuid[]) ORDER BY id', [
      [f.taskId, f.exportId],
    ]),
    q('SELECT count(*)::int AS n FROM tasks'),
    q('SELECT count(*)::int AS n FROM outbox_events'),
    q('SELECT id, created_at FROM exports ORDER BY id'),
    t.container.cache.get(f.profileId),
  ]);
  return JSON.stringify(parts);
}

/** Sends the route's request as the caller; the answer must be one the OpenAPI document declares. */
async function call(t: TestApp, route: Route, f: Fixture, caller: Caller) {
  const req = await route.request(f);
  const res = await t.app.inject({ ...req, headers: { ...req.headers, ...caller.headers } } as never);
  openapiContract(t.app.swagger()).check(req.method, req.url, res);
  return res;
}

export function accessMatrix(
  engine: string,
  database: TestDatabaseOpener,
  env: () => Record<string, string> = () => ({}),
) {
  describe(`access matrix on ${engine}`, () => {
    const t = suiteApp(() => ({ env: env(), testDatabase: database, caller: 'as-given' }));
    let bad: Caller[] = [];
    let admin: Caller;
    before(async () => {
      const someone = await people('matrix-bad');
      bad = await badTokens(someone.ownerSub);
      admin = someone.admin;
    });

    for (const route of ROUTES) {
      it(`${route.name}: ${JSON.stringify(route.expect)}, and 401 for every bad token`, async () => {
        const { f, who } = await makeFixture(t);
        const callers = { anonymous: who.anonymous, other: who.other, owner: who.owner, admin };
        const refused = Object.entries(route.expect).filter(([, status]) => status >= 400);
        // Refused requests first, all on the one fixture: each must leave it exactly as it was.
        for (const [kind, status] of refused) {
          const before = await snapshot(t, f);
          const res = await call(t, route, f, callers[kind as keyof typeof callers]);
          assert.equal(res.statusCode, status, `${kind}: ${res.body}`);
          assert.match(String(res.headers['content-type']), /application\/problem\+json/);
          if (status === 401) assert.match(String(res.headers['www-authenticate']), /^Bearer /);
          if (route.writes || status >= 400)
            assert.equal(await snapshot(t, f), before, `${kind} changed nothing`);
        }
        for (const token of bad) {
          const before = await snapshot(t, f);
          const res = await call(t, route, f, token);
          if (route.open) {
            assert.equal(res.statusCode, 200, `${token.name} on an open route`);
            continue;
          }
          assert.equal(res.statusCode, 401, `${token.name}: ${res.body}`);
          assert.equal((res.json() as { code: string }).code, 'invalid_token', token.name);
          assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
          assert.equal(await snapshot(t, f), before, `${token.name} changed nothing`);
        }
        // Allowed requests: each on a fixture of its own when it changes data.
        for (const [kind, status] of Object.entries(route.expect).filter(([, s]) => s < 400)) {
          const own = route.writes ? await makeFixture(t) : { f, who };
          const caller = {
            ...callers,
            anonymous: own.who.anonymous,
            other: own.who.other,
            owner: own.who.owner,
          }[kind as keyof typeof callers];
          const res = await call(t, route, own.f, caller);
          assert.equal(res.statusCode, status, `${kind}: ${res.body}`);
        }
      });
    }
  });
}
