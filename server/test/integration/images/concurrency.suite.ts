import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Image as ImageView } from '../../../src/api/schemas/image.js';
import { imageForm, makeImage } from '../../kit/images.js';
import { type ImageHarness, PROFILES } from './harness.js';

export function concurrencyTests(h: ImageHarness) {
  const { t, faults, createProfile, upload, profileOf, imagesOf, gone } = h;
  describe('concurrent uploads and deletes', () => {
    it('concurrent uploads to one profile: none is lost, one version per image', async () => {
      const profile = await createProfile();
      const datas = await Promise.all([1, 2, 3, 4, 5, 6].map((seed) => makeImage.jpeg(200, 150, 100 + seed)));
      const results = await Promise.all(datas.map((d) => upload(profile.id, imageForm(d))));
      for (const r of results) assert.equal(r.statusCode, 201, r.body);
      const p = await profileOf(profile.id);
      assert.equal(p.version, 7);
      assert.deepEqual([...p.image_urls].sort(), results.map((r) => (r.json() as ImageView).url).sort());
      assert.deepEqual(
        p.image_urls,
        (await imagesOf(profile.id)).map((i) => i.url),
      );
    });

    it('uploads racing the deletion of their profile leave no object behind', async () => {
      faults.attempted = [];
      const outcomes: number[] = [];
      for (let i = 0; i < 6; i++) {
        const profile = await createProfile('race');
        const data = await makeImage.jpeg(120, 90, 200 + i);
        // Half the time the delete starts first.
        const [up, del] = await Promise.all(
          i % 2
            ? [
                upload(profile.id, imageForm(data)),
                t.app.inject({ method: 'DELETE', url: `${PROFILES}/${profile.id}` }),
              ]
            : [
                sleep(1).then(() => upload(profile.id, imageForm(data))),
                t.app.inject({ method: 'DELETE', url: `${PROFILES}/${profile.id}` }),
              ],
        );
        assert.ok([201, 404].includes(up.statusCode), up.body);
        assert.equal(del.statusCode, 204, del.body);
        outcomes.push(up.statusCode);
      }
      await gone(faults.attempted, 'every object written by a raced upload is gone');
    });

    it('the same picture uploaded twice at once to one profile: one image, both answers name it', async () => {
      const profile = await createProfile();
      const data = await makeImage.png(90, 90, 77);
      const [a, b] = await Promise.all([
        upload(profile.id, imageForm(data)),
        upload(profile.id, imageForm(data)),
      ]);
      assert.deepEqual([a.statusCode, b.statusCode].sort(), [200, 201], `${a.body} ${b.body}`);
      assert.equal((a.json() as ImageView).id, (b.json() as ImageView).id);
      const p = await profileOf(profile.id);
      assert.deepEqual([p.version, p.image_urls.length], [2, 1]);
    });
  });
}
