// Debian's Chromium driven by playwright-core: pages that reach nothing but this machine, every
// screenshot checked by axe-core, and signing in through the development provider's own page.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { ROOT } from './stack';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'artifacts', 'screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

/** Why the browser tests cannot run here, or false; under CI=true a missing browser is a failure. */
export function skipReason(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing (CI=true: .ci/run installs Debian's chromium)`);
  return `${CHROMIUM} is missing (apt-get install chromium)`;
}

/** Chromium; `fresh` empties artifacts/screenshots first (the run's first browser does). */
export async function launch(fresh = true): Promise<Browser> {
  if (fresh) rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const LOCAL = /^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

/**
 * A fresh browser profile (its own cookies) at `web`. Requests off this machine are refused: the
 * provider's stock sign-out page asks for a web font.
 */
export async function newPage(browser: Browser, web: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: web, viewport: { width: 1100, height: 800 } });
  await context.route(
    (url) => !LOCAL.test(url.href) && url.protocol !== 'data:' && url.protocol !== 'blob:',
    (route) => route.abort('blockedbyclient'),
  );
  return context.newPage();
}

let shot = 0;

/** A full-page screenshot to artifacts/screenshots, and no serious or critical WCAG violation on it. */
export async function screenshot(page: Page, name: string): Promise<void> {
  shot += 1;
  // Next.js streams metadata in: just after a client-side navigation (a filter put in the URL) the
  // <title> may not be back yet, and a page without one is not the page being judged.
  await page.waitForFunction(() => document.title !== '');
  await page.screenshot({
    path: join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`),
    fullPage: true,
  });
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } })
      .axe;
    const result = await axe.run({ runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
  assert.deepEqual(violations, [], `accessibility of ${name}`);
}

type AxeRule = { nodes: { target: string[] }[] };
type AxeRun = { violations: AxeRule[]; incomplete: AxeRule[]; passes: AxeRule[] };

/**
 * Every text of `selector` (an open dialog, say) passes axe's color-contrast rule: checked and
 * passed, not only "not failed", since axe leaves text it cannot judge (in the top layer, over a
 * backdrop) as incomplete, which a screenshot's run does not count against it.
 */
export async function assertReadable(page: Page, selector: string, what: string): Promise<void> {
  await page.addScriptTag({ path: AXE });
  // Plain expressions only in the page: the test's compiler wraps named functions in a helper
  // that exists here, not there.
  const result = (await page.evaluate(async (within) => {
    const axe = (window as unknown as { axe: { run(c: unknown, o: unknown): Promise<AxeRun> } }).axe;
    const r = await axe.run(within, { runOnly: ['color-contrast'] });
    return JSON.parse(
      JSON.stringify({ violations: r.violations, incomplete: r.incomplete, passes: r.passes }),
    );
  }, selector)) as AxeRun;
  const named = (rules: AxeRule[]) => rules.flatMap((r) => r.nodes.map((n) => n.target.join(' ')));
  assert.deepEqual(named(result.violations), [], `${what}: text without enough contrast`);
  assert.deepEqual(named(result.incomplete), [], `${what}: text whose contrast axe could not judge`);
  assert.ok(named(result.passes).length > 0, `${what}: no text checked`);
}

/** "Sign in" in the header, the provider's page (which must ask: no session there), back here. */
export async function signIn(page: Page, issuer: string, web: string, email: string): Promise<void> {
  await page.getByRole('link', { name: 'Sign in' }).first().click();
  await page.waitForURL((url) => url.href.startsWith(`${issuer}/interaction/`));
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.href.startsWith(web) && !url.pathname.startsWith('/auth/'));
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/**
 * "Sign out": through the provider's end-session page (which asks nothing of a first-party client's
 * user, and submits itself), back on this site's front page.
 */
export async function signOut(page: Page, issuer: string, web: string): Promise<void> {
  const passedProvider = page.waitForURL((url) => url.href.startsWith(`${issuer}/session/end`));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await passedProvider;
  await page.waitForURL((url) => url.href.startsWith(web));
  await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
}
