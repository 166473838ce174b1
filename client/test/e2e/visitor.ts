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

  it('a search too short for the index says how to search, not that something went wrong', async () => {
    await w.page.goto('/profiles');
    await w.page.getByLabel('Search by name').fill('ab');
    await w.page.getByText('A search must have at least 3 letters or digits in a row.').waitFor();
    assert.equal(await w.page.getByText('Something went wrong').count(), 0);
    await w.page.getByLabel('Search by name').fill(w.grace.name.slice(0, 5));
    await w.page.getByRole('link', { name: new RegExp(w.grace.name) }).waitFor();
  });

  it("a path with no page gets a 404 in the site's own frame, and the site has an icon", async () => {
    const res = await w.page.goto('/no-such-page');
    assert.equal(res?.status(), 404);
    await w.page.getByRole('heading', { name: 'Page not found', level: 1 }).waitFor();
    assert.equal(await w.page.title(), 'Page not found · Profiles');
    await w.page.getByRole('link', { name: 'Skip to content' }).waitFor({ state: 'attached' });
    assert.ok((await w.page.locator('header').getByRole('link', { name: 'Profiles' }).count()) > 0);
    // Styled: the site's own font and its button look, not the browser's defaults.
    const look = await w.page.getByRole('link', { name: 'All profiles' }).evaluate((a) => {
      const style = getComputedStyle(a);
      return { background: style.backgroundColor, font: getComputedStyle(document.body).fontFamily };
    });
    assert.notEqual(look.background, 'rgba(0, 0, 0, 0)', 'the way back is a button');
    assert.doesNotMatch(look.font, /^"?Times/);
    await screenshot(w.page, 'not-found');
    const icons = await w.page
      .locator('link[rel~="icon"]')
      .evaluateAll((ls) => ls.map((l) => (l as HTMLLinkElement).href));
    assert.ok(icons.length > 0, 'the page names an icon');
    for (const href of [...icons, new URL('/favicon.ico', w.stack.web).href]) {
      const icon = await fetch(href);
      assert.equal(icon.status, 200, href);
      assert.match(icon.headers.get('content-type') ?? '', /^image\//, href);
    }
  });
}
