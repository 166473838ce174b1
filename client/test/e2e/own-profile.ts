// An ordinary user signs in (their profile made on the way) and changes their own profile.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import sharp from 'sharp';
import { screenshot, signIn } from './browser';
import { sessionCookie } from './session-cookie';
import { apiCall } from './stack';
import type { Profile, World } from './world';

export function ownProfileScenarios(w: World) {
  it('signing in through the provider makes "My profile" from the ID token; no token reaches the page', async () => {
    await w.page.goto('/profiles');
    await signIn(w.page, w.stack.issuer, w.stack.web, w.ada);
    await w.page.getByRole('link', { name: 'My profile' }).click();
    await w.page.waitForURL(/\/profiles\/[0-9a-f-]{36}$/);
    w.myUrl = new URL(w.page.url()).pathname;
    // The provider names a development account after its email: "ada.x" is "Ada X".
    await w.page.getByRole('heading', { level: 1, name: new RegExp(`^Ada ${w.run}$`, 'i') }).waitFor();
    assert.equal(await w.page.getByLabel('Email').inputValue(), w.ada);
    await screenshot(w.page, 'my-profile');

    const cookie = await sessionCookie(w.page);
    assert.deepEqual([cookie.httpOnly, cookie.sameSite], [true, 'Lax']);
    assert.ok(cookie.value.length < 3800, `the sealed session fits a cookie (${cookie.value.length} bytes)`);
    assert.doesNotMatch(await w.page.evaluate(() => document.cookie), /profile_session/);
    // Access and ID tokens are JWTs ("eyJ…"): none is in the page, its RSC payload or its state.
    assert.doesNotMatch(await w.page.content(), /eyJ[\w-]{10,}\.eyJ/);
  });

  it('edit with If-Match; a conflicting change elsewhere gives a 412 that can be resolved', async () => {
    await w.page.getByLabel('Bio').fill('Rear admiral');
    await w.page.getByRole('button', { name: 'Save changes' }).click();
    await w.page.getByText('Saved. This is version 2.').waitFor();
    // An admin saves version 3 meanwhile.
    const id = w.myUrl.split('/').pop();
    const other = await apiCall(w.stack.api, `/api/v1/profiles/${id}`, {
      method: 'PATCH',
      token: w.adminToken,
      headers: { 'if-match': '"2"' },
      body: { bio: 'Changed elsewhere' },
    });
    assert.equal(other.status, 200);
    await w.page.getByLabel('Name').fill(`Ada Lovelace ${w.run}`);
    await w.page.getByRole('button', { name: 'Save changes' }).click();
    await w.page.getByRole('heading', { name: 'Someone else changed this profile' }).waitFor();
    assert.match((await w.page.locator('.conflict').textContent()) ?? '', /Changed elsewhere/);
    await screenshot(w.page, 'conflict-412');
    await w.page.getByRole('button', { name: /Keep my edits/ }).click();
    await w.page.getByText('Saved. This is version 4.').waitFor();
    const saved = await apiCall<Profile>(w.stack.api, `/api/v1/profiles/${id}`);
    assert.deepEqual([saved.body.name, saved.body.bio], [`Ada Lovelace ${w.run}`, 'Rear admiral']);
  });
}

/** Images on one's own profile: upload with preview and progress, deletion after confirming. */
export function galleryScenarios(w: World) {
  it('upload two images with preview and progress, delete one after confirming', async () => {
    const upload = async (name: string, colour: string, width: number, height: number) => {
      const image = sharp({ create: { width, height, channels: 3, background: colour } });
      const buffer = await (name.endsWith('.png') ? image.png() : image.jpeg()).toBuffer();
      const mimeType = name.endsWith('.png') ? 'image/png' : 'image/jpeg';
      await w.page.getByLabel(/Add an image/).setInputFiles({ name, mimeType, buffer });
      await w.page.getByAltText('Preview of the chosen file').waitFor();
      await w.page.getByRole('button', { name: 'Upload' }).click();
      await w.page.getByText(`Uploaded ${name} (${width}×${height}).`).waitFor();
    };
    await upload('harbour.jpg', '#2a9d8f', 640, 480);
    await w.page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.gallery img');
      return img?.complete && img.naturalWidth === 128;
    });
    const src = (await w.page.locator('.gallery img').first().getAttribute('src')) ?? '';
    assert.match(src, /^\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.webp$/);
    await screenshot(w.page, 'gallery');
    await upload('sunset.png', '#e76f51', 300, 300);
    await w.page.locator('.gallery li').nth(1).waitFor();
    await w.page.getByRole('button', { name: 'Delete image 1' }).click();
    await w.page
      .getByRole('dialog', { name: 'Delete this image?' })
      .getByRole('button', { name: 'Delete image' })
      .click();
    await w.page.getByText('Image deleted.').waitFor();
    await w.page.waitForFunction(() => document.querySelectorAll('.gallery li').length === 1);
  });
}
