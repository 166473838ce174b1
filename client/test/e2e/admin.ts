// The admin: a badge, everyone's emails and tasks, any profile to change; then the system page
// and a phone-sized screen.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { screenshot } from './browser';
import { apiCall } from './stack';
import type { Profile, World } from './world';

export function adminScenarios(w: World) {
  it("the admin has a badge, sees emails, and may change anyone's profile", async () => {
    // The development admin's name is "Admin" too: the badge is the one beside it.
    await w.page.locator('.site-header .badge-admin').getByText('Admin').waitFor();
    await w.page.goto(`/profiles/${w.graceId}`);
    assert.equal(await w.page.getByLabel('Email').inputValue(), w.grace.email);
    await w.page.getByLabel('Bio').fill('Rear admiral, edited by an admin');
    await w.page.getByRole('button', { name: 'Save changes' }).click();
    await w.page.getByText('Saved. This is version 2.').waitFor();
    await screenshot(w.page, 'admin-editing');
    const list = await apiCall<Profile[]>(w.stack.api, `/api/v1/profiles?q=${w.grace.email}`, {
      token: w.adminToken,
    });
    assert.equal(list.body[0]?.bio, 'Rear admiral, edited by an admin');
  });

  it("the admin submits any type and sees everyone's tasks: a delayed echo goes scheduled, then succeeded", async () => {
    await w.page.goto('/tasks');
    await w.page.getByRole('heading', { name: 'All tasks' }).waitFor();
    await w.page.locator('table.tasks tbody tr', { hasText: 'profile.purge' }).first().waitFor();
    await w.page.getByLabel('Task type').selectOption('echo');
    await w.page.getByLabel('Delay (seconds)').fill('2');
    await w.page.getByRole('button', { name: 'Submit task' }).click();
    const row = w.page.locator('table.tasks tbody tr').first();
    await row.getByText('scheduled').waitFor();
    await row.getByText('succeeded').waitFor({ timeout: 20_000 });
    assert.match((await row.textContent()) ?? '', /echo/);
    await screenshot(w.page, 'task-succeeded');
  });

  it('the system page shows each dependency and the traffic', async () => {
    await w.page.goto('/system');
    for (const dep of ['database', 'cache', 'storage'])
      await w.page.getByRole('heading', { name: dep }).waitFor();
    await w.page.getByText(/req\/s/).waitFor({ timeout: 10_000 });
    await screenshot(w.page, 'system');
  });

  it('is usable on a phone-sized screen', async () => {
    await w.page.setViewportSize({ width: 390, height: 844 });
    await w.page.goto('/tasks');
    await w.page.getByRole('button', { name: 'Submit task' }).waitFor();
    const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling');
    await screenshot(w.page, 'tasks-mobile');
  });
}
