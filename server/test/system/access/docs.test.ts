// The API's docs work in a browser under its own security headers: Swagger UI renders every
// operation with an Authorize button for the bearer token, and the CSP refuses nothing it needs.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { testApp } from '../../kit/app.js';
import { tool } from '../../kit/tools.js';

const browserTool = tool('chromium', [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium']);

describe('/docs in Chromium', { skip: browserTool.skip, timeout: 120_000 }, () => {
  it('Swagger UI renders under the CSP, with an Authorize button', async (ctx) => {
    const t = await testApp(ctx, { caller: 'as-given' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const browser = await chromium.launch({
      executablePath: browserTool.path as string,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    ctx.after(() => browser.close());
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) refused.push(m.text());
    });
    page.on('pageerror', (e) => refused.push(String(e)));
    const res = await page.goto(`http://127.0.0.1:${port}/docs`);
    assert.match(String(res?.headers()['content-security-policy']), /default-src 'self'/);
    await page.waitForSelector('.swagger-ui .info', { timeout: 30_000 });
    assert.equal(await page.locator('button.authorize').count(), 1);
    assert.ok((await page.locator('.opblock').count()) >= 15, 'the operations are listed');
    assert.deepEqual(refused, []);
  });
});
