// What the session keeps out: other sites' writes, lapsed tokens, other people's profiles.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forgeExpiringSession, readSession, sessionCookie } from './session-cookie';
import { expectReadOnly, type World } from './world';

export function sessionScenarios(w: World) {
  it('the proxy refuses writes from other sites, even with the session cookie', async () => {
    const cookie = await sessionCookie(w.page);
    const attempt = (path: string, headers: Record<string, string>) =>
      fetch(`${w.stack.web}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `${cookie.name}=${cookie.value}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ type: 'profile.export', payload: { profile_id: w.myUrl.split('/').pop() } }),
      });
    assert.equal((await attempt('/api/v1/tasks/delayed', { 'sec-fetch-site': 'cross-site' })).status, 403);
    assert.equal((await attempt('/api/v1/tasks/delayed', { origin: 'http://evil.example' })).status, 403);
    assert.equal((await attempt('/api/v1/tasks/delayed', {})).status, 403);
    assert.equal((await attempt('/auth/logout', { 'sec-fetch-site': 'same-site' })).status, 403);
  });

  it('an access token about to expire is refreshed on the server, and the page goes on', async () => {
    const before = await forgeExpiringSession(w.page, w.stack.sessionSecret);
    await w.page.goto(w.myUrl);
    await w.page.getByRole('button', { name: 'Save changes' }).waitFor();
    const after = await readSession(w.page, w.stack.sessionSecret);
    assert.notEqual(after.accessToken, before.accessToken);
    assert.ok(after.expiresAt > Date.now() / 1000 + 600, 'a new access token, good for a while');
  });

  it("another person's profile is read-only and without their email", async () => {
    await w.page.goto(`/profiles/${w.graceId}`);
    await expectReadOnly(w.page, w.grace.email);
  });
}
