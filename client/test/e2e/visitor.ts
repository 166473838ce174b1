// Signed out: what anyone sees, and how much script the first page costs.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { newPage, screenshot } from './browser';
import { ROOT } from './stack';
import { expectReadOnly, type World } from './world';

const FIRST_LOAD_BUDGET = 200 * 1024;

export function visitorScenarios(w: World) {
  it(`the profiles page's first-load JS stays within ${FIRST_LOAD_BUDGET / 1024} kB gzip`, async () => {
    const first = await newPage(w.browser, w.stack.web);
    const scripts = new Map<string, number>();
    first.on('response', async (res) => {
      if (res.request().resourceType() === 'script' && res.ok())
        scripts.set(res.url(), gzipSync(await res.body()).length);
    });
    await first.goto('/profiles', { waitUntil: 'networkidle' });
    await first.context().close();
    const total = [...scripts.values()].reduce((a, b) => a + b, 0);
    writeFileSync(
      join(ROOT, 'artifacts', 'first-load-js.json'),
      `${JSON.stringify({ page: '/profiles', gzipBytes: total, files: Object.fromEntries(scripts) }, null, 2)}\n`,
    );
    process.stdout.write(
      `# first-load JS of /profiles: ${(total / 1024).toFixed(1)} kB gzip in ${scripts.size} files\n`,
    );
    assert.ok(scripts.size > 0);
    assert.ok(total <= FIRST_LOAD_BUDGET, `${(total / 1024).toFixed(1)} kB`);
  });

  it('signed out: profiles are read-only and without emails; keyboard users can skip to the content', async () => {
    await w.page.goto('/profiles');
    await w.page.keyboard.press('Tab');
    assert.equal(await w.page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await w.page.getByRole('link', { name: new RegExp(w.grace.name) }).waitFor();
    assert.equal(await w.page.getByRole('link', { name: 'New profile' }).count(), 0);
    assert.doesNotMatch((await w.page.textContent('body')) ?? '', new RegExp(w.grace.email));
    await screenshot(w.page, 'profiles-signed-out');
    await w.page.getByRole('link', { name: new RegExp(w.grace.name) }).click();
    await expectReadOnly(w.page, w.grace.email);
    await screenshot(w.page, 'profile-read-only');
  });
}
