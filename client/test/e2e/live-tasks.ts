// A task's progress reaches the tasks pages of its submitter and of admins as it happens, by the
// event stream: no page asks the API about tasks again meanwhile. Nobody else hears of it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshot } from './browser';
import type { People } from './live-profiles';
import { recordRequests } from './watch';
import type { World } from './world';

const taskRow = (page: Page, id: string) =>
  page.locator('table.tasks tbody tr', { has: page.locator(`code[title="${id}"]`) });

/** GETs of the task list or of one task: what polling would make. */
const taskReads = (page: Page) =>
  recordRequests(page, (method, url) => method === 'GET' && /^\/api\/v1\/tasks(\/|$)/.test(url.pathname));

export function liveTaskScenarios(_w: World, p: People) {
  it("a task's status changes on the tasks page as they happen, without the page asking again", async () => {
    const pages = [p.alice, p.admin, p.bob];
    for (const page of pages) {
      await page.goto('/tasks');
      await page.getByRole('button', { name: 'Submit task' }).waitFor();
      // The first reads are done (the list, and its second read once the stream is open).
      await page.waitForLoadState('networkidle');
    }
    const reads = pages.map(taskReads);
    await p.alice.getByLabel('Task type').selectOption('profile.export');
    await p.alice.getByLabel('Delay (seconds)').fill('2');
    await p.alice.getByRole('button', { name: 'Submit task' }).click();
    const first = p.alice.locator('table.tasks tbody tr').first();
    await first.getByText('scheduled').waitFor();
    const id = (await first.locator('code').getAttribute('title')) ?? '';
    await taskRow(p.admin, id).getByText('scheduled').waitFor();
    await first.getByText('succeeded').waitFor({ timeout: 20_000 });
    await taskRow(p.admin, id).getByText('succeeded').waitFor();
    await first.getByRole('link', { name: 'Download export' }).waitFor();
    await screenshot(p.alice, 'tasks-live');

    assert.equal(await taskRow(p.bob, id).count(), 0, "bob hears nothing of alice's task");
    for (const r of reads) r.stop();
    assert.deepEqual(
      reads.map((r) => r.seen),
      [[], [], []],
      'no page read tasks again while it ran',
    );
  });
}
