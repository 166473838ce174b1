// The API ends a stream whose access token expires (`event: reauth`); the page reconnects at once,
// through the proxy (which refreshes the token), from the last event it saw. Run against an API
// whose provider issues 20-second tokens, with profiles made all the while: every one reaches the
// page by its event, none is read again.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { signIn } from './browser';
import { readSession } from './session-cookie';
import { apiCall, tokenFor } from './stack';
import { recordRequests } from './watch';
import type { World } from './world';

export const SHORT_TOKEN_TTL = '20s';

async function makeProfile(w: World, n: number): Promise<string> {
  const name = `Expiry ${n} ${w.run}`;
  const made = await apiCall(w.stack.api, '/api/v1/profiles', {
    method: 'POST',
    // Tokens live 20 s here: a fresh one each time.
    token: await tokenFor(w.stack.issuer, 'admin@example.com'),
    body: { name, email: `expiry.${n}.${w.run}@example.com`, bio: '' },
  });
  assert.equal(made.status, 201);
  return name;
}

/** Every message the page's EventSources receive, as Chromium reports them. */
async function streamMessages(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  const heard: { name: string; id: string }[] = [];
  cdp.on('Network.eventSourceMessageReceived', (m) => heard.push({ name: m.eventName, id: m.eventId }));
  await cdp.send('Network.enable');
  return heard;
}

export function tokenExpiryScenarios(w: World) {
  it('a stream whose token expires is resumed from its last event, through a refresh: nothing lost', async () => {
    const heard = await streamMessages(w.page);
    await w.page.goto('/profiles');
    await signIn(w.page, w.stack.issuer, w.stack.web, `carol.${w.run}@example.com`);
    await w.page.waitForLoadState('networkidle');
    const before = await readSession(w.page, w.stack.sessionSecret);
    const streams = recordRequests(w.page, (_, url) => url.pathname === '/api/v1/events');
    const listReads = recordRequests(w.page, (m, url) => m === 'GET' && url.pathname === '/api/v1/profiles');
    const names: string[] = [];
    let atReconnect: number | undefined;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(400)) {
      if (streams.seen.length > 0) atReconnect ??= names.length;
      if (atReconnect !== undefined && names.length >= atReconnect + 3) break;
      names.push(await makeProfile(w, names.length));
    }
    assert.ok(atReconnect, 'the page reconnected, with events before and after');
    for (const name of names) await w.page.getByText(name, { exact: true }).waitFor();
    const reauth = heard.findIndex((m) => m.name === 'reauth');
    assert.ok(reauth > 0, 'the API said reauth');
    const lastSeen = heard.slice(0, reauth).at(-1)?.id;
    assert.equal(streams.seen[0], `GET /api/v1/events?last_event_id=${lastSeen}`);
    // Nothing but these profiles changes meanwhile: the ids run on without a gap or a repeat.
    const ids = heard.filter((m) => m.name === 'profile.created').map((m) => Number(m.id));
    assert.deepEqual(
      ids,
      ids.map((_, i) => (ids[0] ?? 0) + i),
    );
    assert.deepEqual(listReads.seen, [], 'every profile came by its event: the list was not read again');
    const after = await readSession(w.page, w.stack.sessionSecret);
    assert.notEqual(after.accessToken, before.accessToken, 'the proxy refreshed the token');
  });
}
