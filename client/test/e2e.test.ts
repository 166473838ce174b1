// End to end, in Debian's Chromium driven by playwright-core: the API (embedded: PGlite, in-process
// cache and worker) and a production build of the client, each its own process on free ports.
// Screenshots of every page go to artifacts/screenshots (git-ignored); the first-load JS of the
// profiles page is measured from what the browser actually downloads.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import sharp from 'sharp';
import { freePort, type Started, startNode } from './helpers';

const CLIENT = fileURLToPath(new URL('..', import.meta.url));
const ROOT = join(CLIENT, '..');
const ARTIFACTS = join(ROOT, 'artifacts', 'screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FIRST_LOAD_BUDGET = 200 * 1024;
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

const skip = existsSync(CHROMIUM)
  ? false
  : process.env.CI === 'true'
    ? (() => {
        throw new Error(`${CHROMIUM} is missing (CI=true: .ci/run installs Debian's chromium)`);
      })()
    : `${CHROMIUM} is missing (apt-get install chromium)`;

async function waitFor(url: string, proc: Started) {
  for (let i = 0; i < 240; i++) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited:\n${proc.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await sleep(250);
  }
  throw new Error(`${proc.name} did not answer at ${url}:\n${proc.output()}`);
}

describe('web client in Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  let api: string;
  let web: string;
  const procs: Started[] = [];
  const run = Date.now().toString(36);
  let shot = 0;
  /** Every page screenshotted is also checked by axe-core: no serious or critical WCAG violation. */
  const screenshot = async (name: string) => {
    shot += 1;
    await page.screenshot({
      path: join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`),
      fullPage: true,
    });
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(o: unknown): Promise<{ violations: AxeViolation[] }> } })
        .axe;
      const result = await axe.run({
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      });
      return result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    });
    assert.deepEqual(violations, [], `accessibility of ${name}`);
  };

  before(async () => {
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = await mkdtemp(join(tmpdir(), 'e2e-'));
    const [apiPort, workerPort, webPort] = [await freePort(), await freePort(), await freePort()];
    api = `http://127.0.0.1:${apiPort}`;
    web = `http://127.0.0.1:${webPort}`;
    // The rewrites to the API are fixed at build time: build for this API.
    execFileSync(
      process.execPath,
      [createRequire(join(CLIENT, 'package.json')).resolve('next/dist/bin/next'), 'build'],
      {
        cwd: CLIENT,
        env: { ...process.env, API_URL: api, NEXT_TELEMETRY_DISABLED: '1' },
        stdio: 'ignore',
      },
    );
    const server = startNode('API', ['--import', 'tsx', 'src/cmd/dev.ts'], {
      cwd: join(ROOT, 'server'),
      env: {
        SERVER_PORT: String(apiPort),
        WORKER_PORT: String(workerPort),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        TASK_POLL_INTERVAL: '100ms',
      },
    });
    const client = startNode(
      'client',
      [
        createRequire(join(CLIENT, 'package.json')).resolve('next/dist/bin/next'),
        'start',
        '--port',
        String(webPort),
        '--hostname',
        '127.0.0.1',
      ],
      { cwd: CLIENT, env: { NEXT_TELEMETRY_DISABLED: '1' } },
    );
    procs.push(server, client);
    await Promise.all([waitFor(`${api}/health/ready`, server), waitFor(`${web}/profiles`, client)]);
    browser = await chromium.launch({
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
    page = await browser.newPage({ baseURL: web, viewport: { width: 1100, height: 800 } });
  });

  after(async () => {
    await browser?.close();
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(
      procs.map((p) => (p.child.exitCode === null ? new Promise((r) => p.child.once('exit', r)) : null)),
    );
    await rm(dataDir, { recursive: true, force: true });
  });

  it(`the profiles page's first-load JS stays within ${FIRST_LOAD_BUDGET / 1024} kB gzip`, async () => {
    const context = await browser.newContext({ baseURL: web });
    const first = await context.newPage();
    const scripts = new Map<string, number>();
    first.on('response', async (res) => {
      if (res.request().resourceType() === 'script' && res.ok()) {
        scripts.set(res.url(), gzipSync(await res.body()).length);
      }
    });
    await first.goto('/profiles', { waitUntil: 'networkidle' });
    await context.close();
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

  it('keyboard users can skip to the content; the empty list says so', async () => {
    await page.goto('/profiles');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
    await page.getByRole('heading', { name: 'Profiles', level: 1 }).waitFor();
    await page
      .getByText(/No profiles yet|Next page/)
      .first()
      .waitFor();
    await screenshot('profiles');
  });

  let profileUrl: string;
  const name = `Grace Hopper ${run}`;

  it('create: the API’s field errors show beside their fields, then a valid profile is created', async () => {
    await page.goto('/profiles/new');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.locator('#name-error').waitFor();
    assert.ok(((await page.locator('#email-error').textContent()) ?? '').length > 0);
    assert.equal(await page.getByLabel('Name').getAttribute('aria-invalid'), 'true');
    await screenshot('create-errors');
    await page.getByLabel('Name').fill(name);
    await page.getByLabel('Email').fill(`grace.${run}@example.com`);
    await page.getByLabel('Bio').fill('Wrote the first compiler');
    await page.getByRole('button', { name: 'Create profile' }).click();
    await page.getByText('Profile created.').waitFor();
    profileUrl = new URL(page.url()).pathname;
    assert.match(profileUrl, /^\/profiles\/[0-9a-f-]{36}$/);
    await screenshot('profile-created');
  });

  it('search finds it', async () => {
    await page.goto('/profiles');
    await page.getByLabel('Search by name or email').fill(run);
    await page.waitForURL(new RegExp(`q=${run}`));
    await page.getByRole('link', { name: new RegExp(name) }).waitFor();
    assert.equal(await page.locator('.profile-list li').count(), 1);
    await screenshot('profiles-search');
    await page.getByRole('link', { name: new RegExp(name) }).click();
    await page.waitForURL(`**${profileUrl}`);
  });

  it('edit with If-Match; a conflicting change elsewhere gives a 412 that can be resolved', async () => {
    await page.getByLabel('Bio').fill('Rear admiral');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Saved. This is version 2.').waitFor();

    // Someone else saves version 3 meanwhile.
    const id = profileUrl.split('/').pop();
    const other = await fetch(`${api}/api/v1/profiles/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'if-match': '"2"' },
      body: JSON.stringify({ bio: 'Changed elsewhere' }),
    });
    assert.equal(other.status, 200);

    await page.getByLabel('Name').fill(`${name} (Amazing Grace)`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: 'Someone else changed this profile' }).waitFor();
    assert.match((await page.locator('.conflict').textContent()) ?? '', /Changed elsewhere/);
    await screenshot('conflict-412');
    await page.getByRole('button', { name: /Keep my edits/ }).click();
    await page.getByText('Saved. This is version 4.').waitFor();
    const saved = (await (await fetch(`${api}/api/v1/profiles/${id}`)).json()) as {
      name: string;
      bio: string;
    };
    assert.deepEqual([saved.name, saved.bio], [`${name} (Amazing Grace)`, 'Rear admiral']);
  });

  it('upload an image with a preview and progress, and see its thumbnail in the gallery', async () => {
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#2a9d8f' } })
      .jpeg()
      .toBuffer();
    await page
      .getByLabel(/Add an image/)
      .setInputFiles({ name: 'harbour.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByAltText('Preview of the chosen file').waitFor();
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('Uploaded harbour.jpg (640×480).').waitFor();
    const thumb = page.locator('.gallery img').first();
    await thumb.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.gallery img');
      return img?.complete && img.naturalWidth === 128;
    });
    assert.match((await thumb.getAttribute('src')) ?? '', /^\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp$/);
    await screenshot('gallery');
  });

  it('a second image can be deleted from the gallery, after confirming', async () => {
    const other = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#e76f51' } })
      .png()
      .toBuffer();
    await page
      .getByLabel(/Add an image/)
      .setInputFiles({ name: 'sunset.png', mimeType: 'image/png', buffer: other });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('Uploaded sunset.png (300×300).').waitFor();
    await page.locator('.gallery li').nth(1).waitFor();
    await page.getByRole('button', { name: 'Delete image 1' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this image?' });
    await dialog.getByRole('button', { name: 'Delete image' }).click();
    await page.getByText('Image deleted.').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.gallery li').length === 1);
  });

  it('the list shows the newest image as the profile’s thumbnail', async () => {
    await page.goto(`/profiles?q=${run}`);
    const avatar = page.locator('.profile-list img.avatar');
    await avatar.waitFor();
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.profile-list img.avatar');
      return img?.complete && img.naturalWidth === 128;
    });
    await screenshot('profiles-thumbnail');
  });

  it('a task delayed 2 s is seen scheduled, then succeeded', async () => {
    await page.goto('/tasks');
    await page.getByLabel('Type').selectOption('echo');
    await page.getByLabel('Delay (seconds)').fill('2');
    await page.getByRole('button', { name: 'Submit task' }).click();
    const row = page.locator('table.tasks tbody tr').first();
    await row.getByText('scheduled').waitFor();
    await screenshot('task-scheduled');
    await row.getByText('succeeded').waitFor({ timeout: 20_000 });
    assert.match((await row.textContent()) ?? '', /echo/);
    await screenshot('task-succeeded');
  });

  it('the system page shows each dependency and the traffic', async () => {
    await page.goto('/system');
    await page.getByRole('heading', { name: 'Dependencies' }).waitFor();
    for (const dep of ['database', 'cache', 'storage'])
      await page.getByRole('heading', { name: dep }).waitFor();
    await page.getByText(/req\/s/).waitFor({ timeout: 10_000 });
    await screenshot('system');
  });

  it('delete the profile, after confirming', async () => {
    await page.goto(profileUrl);
    await page.getByRole('button', { name: 'Delete profile…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this profile?' });
    await dialog.waitFor();
    await screenshot('confirm-delete');
    await dialog.getByRole('button', { name: 'Delete profile' }).click();
    await page.waitForURL('**/profiles');
    await page.getByLabel('Search by name or email').fill(run);
    await page.getByText(`No profile matches “${run}”.`).waitFor();
    const gone = await fetch(`${api}${profileUrl.replace('/profiles', '/api/v1/profiles')}`);
    assert.equal(gone.status, 404);
  });

  it('is usable on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/tasks');
    await page.getByRole('button', { name: 'Submit task' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, 'no horizontal scrolling');
    await screenshot('tasks-mobile');
  });
});
