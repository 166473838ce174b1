// What the browser scenarios share: one stack, one browser page (signed in and out as they go, in
// order), and the people in it. Filled in by the suite's before(), read by the scenarios as they run.
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launch, newPage } from './browser';
import { apiCall, type Stack, startStack, tokenFor } from './stack';

export type Profile = { id: string; name: string; email?: string; bio: string };

export type World = {
  stack: Stack;
  browser: Browser;
  page: Page;
  /** Makes this run's names and emails its own. */
  run: string;
  /** The ordinary user who signs in through the browser. */
  ada: string;
  /** Someone else, whose profile is made straight at the API. */
  grace: { name: string; email: string };
  graceId: string;
  adminToken: string;
  /** Ada's own profile's path, once signed in. */
  myUrl: string;
};

/** A stack (its API given `apiEnv`), a browser, and Grace's profile made at the API. */
export async function makeWorld(apiEnv: Record<string, string> = {}, freshArtifacts = true): Promise<World> {
  const run = Date.now().toString(36);
  const grace = { name: `Grace Hopper ${run}`, email: `grace.${run}@example.com` };
  const stack = await startStack(apiEnv);
  let browser: Browser | undefined;
  try {
    browser = await launch(freshArtifacts);
    const made = await apiCall<Profile>(stack.api, '/api/v1/profiles', {
      method: 'POST',
      token: await tokenFor(stack.issuer, grace.email),
      body: { ...grace, bio: 'Wrote the first compiler' },
    });
    assert.equal(made.status, 201);
    return {
      stack,
      browser,
      page: await newPage(browser, stack.web),
      run,
      ada: `ada.${run}@example.com`,
      grace,
      graceId: made.body.id,
      adminToken: await tokenFor(stack.issuer, 'admin@example.com'),
      myUrl: '',
    };
  } catch (err) {
    await browser?.close();
    await stack.stop();
    throw err;
  }
}

/** Grace's profile as anyone but her and the admins sees it: nothing to change, and no email. */
export async function expectReadOnly(page: Page, email: string) {
  await page.getByText('Wrote the first compiler').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Save changes' }).count(), 0);
  assert.equal(await page.getByLabel(/Add an image/).count(), 0);
  assert.doesNotMatch((await page.textContent('body')) ?? '', new RegExp(email));
}
