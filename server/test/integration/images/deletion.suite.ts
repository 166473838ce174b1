import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../../kit/eventually.js';
import { makeImage } from '../../kit/images.js';
import { type ImageHarness, PROFILES } from './harness.js';

export function deletionTests(h: ImageHarness) {
  const { t, createProfile, uploadOk, profileOf, imagesOf, keysOf, media, allExist, gone } = h;
  describe('deletion', () => {
    it('DELETE an image: gone from the list and the profile (new version), its objects removed by a task', async () => {
      const profile = await createProfile();
      const keep = await uploadOk(profile.id, await makeImage.jpeg(200, 100, 31));
      const drop = await uploadOk(profile.id, await makeImage.jpeg(200, 100, 32));
      assert.ok(await allExist(keysOf(drop)));
      await profileOf(profile.id); // cached
      const res = await t.app.inject({
        method: 'DELETE',
        url: `${PROFILES}/${profile.id}/images/${drop.id}`,
      });
      assert.equal(res.statusCode, 204, res.body);
      const p = await profileOf(profile.id);
      assert.deepEqual([p.image_urls, p.version], [[keep.url], 4]);
      assert.deepEqual(
        (await imagesOf(profile.id)).map((i) => i.id),
        [keep.id],
      );
      await gone(keysOf(drop), 'the deleted image objects are gone');
      assert.ok(await allExist(keysOf(keep)));
      const again = await t.app.inject({
        method: 'DELETE',
        url: `${PROFILES}/${profile.id}/images/${drop.id}`,
      });
      assert.equal(again.statusCode, 404);
      const other = await createProfile();
      const wrongOwner = await t.app.inject({
        method: 'DELETE',
        url: `${PROFILES}/${other.id}/images/${keep.id}`,
      });
      assert.equal(wrongOwner.statusCode, 404, 'an image is deleted only through its own profile');
      assert.equal(
        (await t.app.inject({ method: 'DELETE', url: `${PROFILES}/${profile.id}/images/nope` })).statusCode,
        404,
      );
    });

    it('an object shared by two profiles (same content) stays until neither names it', async () => {
      const a = await createProfile();
      const b = await createProfile();
      const data = await makeImage.png(120, 90, 41);
      const onA = await uploadOk(a.id, data);
      const onB = await uploadOk(b.id, data);
      assert.deepEqual(keysOf(onA), keysOf(onB), 'content-addressed: same bytes, same keys');
      await t.app.inject({ method: 'DELETE', url: `${PROFILES}/${a.id}/images/${onA.id}` });
      // Let the cleanup task run, then check it kept what b still names.
      await eventually('the cleanup task ran', async () => {
        const d = await t.container.taskRepo.depth();
        return d.due + d.queued + d.running === 0;
      });
      assert.ok(await allExist(keysOf(onB)));
      assert.equal((await media(onB.url)).statusCode, 200);
      await t.app.inject({ method: 'DELETE', url: `${PROFILES}/${b.id}/images/${onB.id}` });
      await gone(keysOf(onB), 'objects gone once no image names them');
    });

    it('DELETE a profile removes its images and their objects', async () => {
      const profile = await createProfile();
      const images = [
        await uploadOk(profile.id, await makeImage.jpeg(100, 100, 51)),
        await uploadOk(profile.id, await makeImage.webp(100, 100, 52)),
      ];
      const res = await t.app.inject({ method: 'DELETE', url: `${PROFILES}/${profile.id}` });
      assert.equal(res.statusCode, 204);
      assert.equal(
        (await t.app.inject({ method: 'GET', url: `${PROFILES}/${profile.id}/images` })).statusCode,
        404,
      );
      await gone(images.flatMap(keysOf), 'the profile’s objects are gone');
    });
  });
}
