// What a page shows, watched from inside it: when a text first appears (timed by the page's own
// clock, which is this machine's, as the test's is), whether the page was reloaded, and which
// requests it made.
import type { Page, Request } from 'playwright-core';

type Watched = Window & { seen?: Record<string, Promise<number>>; sameDocument?: true };

// Plain source, not a function of this file: the TypeScript loader names inner functions with a
// helper (__name) that the page does not have.
const WATCH = `(wanted) => {
  window.seen ??= {};
  const shown = () =>
    (document.body.textContent ?? '').includes(wanted) ||
    [...document.querySelectorAll('input, textarea')].some((f) => f.value === wanted);
  window.seen[wanted] = new Promise((resolve) => {
    const observer = new MutationObserver(() => check());
    const check = () => {
      if (!shown()) return;
      observer.disconnect();
      resolve(Date.now());
    };
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    check();
  });
}`;

/**
 * Starts watching `page` for `text` (in its text or in a field's value); `at()` resolves with the
 * time it appeared. A DOM observer, not polling from here: what is timed is the page, not the test.
 */
export async function watchFor(page: Page, text: string): Promise<{ at: () => Promise<number> }> {
  await page.evaluate(`(${WATCH})(${JSON.stringify(text)})`);
  return {
    at: () =>
      page.evaluate((wanted) => (window as Watched).seen?.[wanted] ?? Promise.resolve(Number.NaN), text),
  };
}

/** Marks the document: `stillSameDocument()` is false once the page has been reloaded or left. */
export async function markDocument(page: Page) {
  await page.evaluate(() => {
    (window as Watched).sameDocument = true;
  });
  return {
    stillSameDocument: () => page.evaluate(() => (window as Watched).sameDocument === true),
  };
}

/** The requests `page` makes from now on that `matches`, as "METHOD path?query". */
export function recordRequests(page: Page, matches: (method: string, url: URL) => boolean) {
  const seen: string[] = [];
  const listener = (r: Request) => {
    const url = new URL(r.url());
    if (matches(r.method(), url)) seen.push(`${r.method()} ${url.pathname}${url.search}`);
  };
  page.on('request', listener);
  return {
    seen,
    stop: () => page.off('request', listener),
  };
}
