// An ordinary user signs in (their profile made on the way) and changes their own profile.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { assertReadable, screenshot, signIn } from './browser';
import { uploadImage } from './images';
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

  it('field errors say what is wrong as a person would, beside the field', async () => {
    await w.page.getByLabel('Name').fill('   ');
    await w.page.getByLabel('Email').fill('ada');
    await w.page.getByRole('button', { name: 'Save changes' }).click();
    await w.page.getByText('Please correct the fields marked below.').waitFor();
    const errorOf = (id: string) => w.page.locator(`#${id}-error`).textContent();
    assert.equal(await errorOf('name'), 'Must not be empty.');
    assert.equal(await errorOf('email'), 'Must be an email address.');
    assert.doesNotMatch((await w.page.textContent('main')) ?? '', /must NOT|must match format|fewer than/);
    await screenshot(w.page, 'field-errors');
    await w.page.reload();
  });

  it('edit with If-Match; a change elsewhere the page did not hear of gives a 412 that can be resolved', async () => {
    // With the event stream down, the page learns of another's change only when its save is refused.
    await w.page.route('**/api/v1/events*', (route) => route.abort());
    await w.page.reload();
    await w.page.getByLabel('Bio').fill('Rear admiral');
    await w.page.getByRole('button', { name: 'Save changes' }).click();
    await w.page.getByText('Saved. This is version 2.').waitFor();
    await w.page.getByLabel('Name').fill(`Ada Lovelace ${w.run}`);
    assert.equal(
      await w.page.getByText('Saved. This is version 2.').count(),
      0,
      'no stale "Saved" beside new edits',
    );
    // An admin saves version 3 meanwhile.
    const id = w.myUrl.split('/').pop();
    const other = await apiCall(w.stack.api, `/api/v1/profiles/${id}`, {
      method: 'PATCH',
      token: w.adminToken,
      headers: { 'if-match': '"2"' },
      body: { bio: 'Changed elsewhere' },
    });
    assert.equal(other.status, 200);
    await w.page.getByRole('button', { name: 'Save changes' }).click();
    await w.page.getByRole('heading', { name: 'Someone else changed this profile' }).waitFor();
    const bioRow = w.page.locator('.conflict tr', { has: w.page.getByRole('rowheader', { name: 'bio' }) });
    assert.match((await bioRow.textContent()) ?? '', /Changed elsewhere.*not changed/);
    await screenshot(w.page, 'conflict-412');
    await w.page.getByRole('button', { name: /Keep my edits/ }).click();
    await w.page.getByText('Saved. This is version 4.').waitFor();
    const saved = await apiCall<Profile>(w.stack.api, `/api/v1/profiles/${id}`);
    // Only the name was changed here: the bio saved elsewhere stays.
    assert.deepEqual([saved.body.name, saved.body.bio], [`Ada Lovelace ${w.run}`, 'Changed elsewhere']);
    assert.equal(await w.page.getByLabel('Bio').inputValue(), 'Changed elsewhere');
    await w.page.unroute('**/api/v1/events*');
  });
}

/** Images on one's own profile: upload with preview and progress, deletion after confirming. */
export function galleryScenarios(w: World) {
  it('upload two images with preview and progress, delete one after confirming', async () => {
    const upload = (name: string, colour: string, width: number, height: number) =>
      uploadImage(w.page, name, colour, width, height);
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
    const dialog = w.page.getByRole('dialog', { name: 'Delete this image?' });
    await dialog.waitFor();
    await assertReadable(w.page, 'dialog[open]', 'the open "Delete this image?" dialog');
    await dialog.getByRole('button', { name: 'Delete image' }).click();
    await w.page.getByText('Image deleted.').waitFor();
    await w.page.waitForFunction(() => document.querySelectorAll('.gallery li').length === 1);
  });
}
