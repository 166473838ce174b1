// The ordinary user's tasks, then the end of their profile and their signing out.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertReadable, screenshot, signIn, signOut } from './browser';
import { apiCall } from './stack';
import type { World } from './world';

/** Tasks for one's own profile, listed from the API and filtered. */
export function taskScenarios(w: World) {
  it('tasks: offered only for your own profile, listed from the API, filtered by status and type', async () => {
    await w.page.goto('/tasks');
    await w.page.getByRole('button', { name: 'Submit task' }).waitFor();
    const types = w.page.getByLabel('Task type');
    assert.deepEqual(await types.locator('option').allTextContents(), ['profile.export', 'profile.purge']);
    await w.page.getByRole('button', { name: 'Submit task' }).click();
    const rows = w.page.locator('table.tasks tbody tr');
    await rows.first().getByText('succeeded').waitFor({ timeout: 20_000 });
    const download = rows.first().getByRole('link', { name: 'Download export' });
    // The export is the submitter's only: the link works through the proxy, with the session.
    const exported = await w.page.request.get((await download.getAttribute('href')) ?? '');
    assert.equal(((await exported.json()) as { format: string }).format, 'profile-export/v1');
    await types.selectOption('profile.purge');
    await w.page.getByLabel('Delay (seconds)').fill('3600');
    await w.page.getByRole('button', { name: 'Submit task' }).click();
    await rows.first().getByText('scheduled').waitFor();
    await w.page.reload();
    await rows.nth(1).waitFor();
    await screenshot(w.page, 'tasks');
    await w.page.getByLabel('Filter by status').selectOption('scheduled');
    await w.page.waitForURL(/status=scheduled/);
    await w.page.waitForFunction(() => document.querySelectorAll('table.tasks tbody tr').length === 1);
    assert.match((await rows.first().textContent()) ?? '', /profile\.purge/);
    await rows
      .first()
      .getByRole('button', { name: /Cancel/ })
      .click();
    await rows.first().getByText('cancelled').waitFor();
    await w.page.getByLabel('Filter by status').selectOption('');
    await w.page.getByLabel('Filter by type').selectOption('profile.export');
    await w.page.waitForURL((url) => url.search === '?type=profile.export');
    await w.page.waitForFunction(() => document.querySelectorAll('table.tasks tbody tr').length === 1);
    assert.match((await rows.first().textContent()) ?? '', /profile\.export.*succeeded/);
    await screenshot(w.page, 'tasks-filtered');
  });
}

/** The end of one's own profile, and of the session (here and at the provider). */
export function signOutScenarios(w: World) {
  it('delete your own profile after confirming; "My profile" then offers to create it', async () => {
    await w.page.goto(w.myUrl);
    await w.page.getByRole('button', { name: 'Delete profile…' }).click();
    const dialog = w.page.getByRole('dialog', { name: 'Delete this profile?' });
    await dialog.waitFor();
    await screenshot(w.page, 'confirm-delete');
    await assertReadable(w.page, 'dialog[open]', 'the open "Delete this profile?" dialog');
    await dialog.getByRole('button', { name: 'Delete profile' }).click();
    await w.page.waitForURL('**/profiles');
    assert.equal((await apiCall(w.stack.api, `/api/v1${w.myUrl}`)).status, 404);
    await w.page.goto('/me');
    await w.page.getByText('You have no profile yet').waitFor();
    assert.equal(await w.page.getByLabel('Email').inputValue(), w.ada);
    await screenshot(w.page, 'me-none');
  });

  it('signing out ends the session at the provider too: signing in again asks again', async () => {
    await signOut(w.page, w.stack.issuer, w.stack.web);
    await w.page.goto('/tasks');
    await w.page.getByText('Sign in to see and submit your tasks.').waitFor();
    assert.equal(await w.page.getByRole('link', { name: 'My profile' }).count(), 0);
    await screenshot(w.page, 'tasks-signed-out');
    // signIn() waits for the provider's own page: with its session left, it would not show.
    await signIn(w.page, w.stack.issuer, w.stack.web, 'admin@example.com');
  });
}
