import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import type { Image as ImageView } from '../../../src/api/schemas/image.js';
import type { Profile } from '../../../src/api/schemas/profile.js';
import { anonymous } from '../../kit/app.js';
import { imageForm, makeImage } from '../../kit/images.js';
import { type ImageHarness, PROFILES } from './harness.js';

export function uploadTests(h: ImageHarness) {
  const { t, createProfile, upload, uploadOk, media, profileOf, imagesOf } = h;
  describe('upload', () => {
    it('types by magic bytes, whatever the declared Content-Type and file name', async () => {
      const profile = await createProfile();
      const cases: [keyof typeof makeImage, string][] = [
        ['jpeg', 'image/jpeg'],
        ['png', 'image/png'],
        ['webp', 'image/webp'],
        ['gif', 'image/gif'],
        ['avif', 'image/avif'],
      ];
      for (const [format, contentType] of cases) {
        const data = await makeImage[format](160, 120, 7);
        const res = await upload(profile.id, imageForm(data, 'notes.txt', 'text/plain'));
        assert.equal(res.statusCode, 201, `${format}: ${res.body}`);
        const image = res.json() as ImageView;
        assert.equal(image.content_type, contentType, format);
        const served = await media(image.url);
        assert.equal(served.headers['content-type'], contentType);
        assert.equal((await sharp(served.rawPayload).metadata()).format, format === 'avif' ? 'heif' : format);
      }
      const images = await imagesOf(profile.id);
      assert.deepEqual(
        images.map((i) => i.content_type),
        cases.map(([, ct]) => ct).reverse(),
        'newest first',
      );
      assert.deepEqual(
        (await profileOf(profile.id)).image_urls,
        images.map((i) => i.url),
      );
    });

    it('the same picture twice on one profile: 200 with the first image, nothing added', async () => {
      const profile = await createProfile();
      const data = await makeImage.jpeg(300, 200, 11);
      const first = await uploadOk(profile.id, data);
      const again = await upload(profile.id, imageForm(data));
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(again.json(), first);
      const p = await profileOf(profile.id);
      assert.deepEqual([p.image_urls, p.version], [[first.url], 2]);
    });

    it('the cache follows: a cached profile is served with its new image and version', async () => {
      const profile = await createProfile();
      await profileOf(profile.id);
      const image = await uploadOk(profile.id, await makeImage.webp(100, 100, 21));
      const res = await t.app.inject({ method: 'GET', url: `${PROFILES}/${profile.id}` });
      assert.equal(res.headers['x-cache'], 'HIT');
      assert.equal(res.headers.etag, '"2p"');
      assert.deepEqual((res.json() as Profile).image_urls, [image.url]);
      const seen = await t.app.inject({
        method: 'GET',
        url: `${PROFILES}/${profile.id}`,
        headers: anonymous(),
      });
      assert.deepEqual([seen.headers['x-cache'], seen.headers.etag], ['HIT', '"2"']);
      assert.deepEqual((seen.json() as Profile).image_urls, [image.url]);
    });

    it('metrics count uploads by outcome', async () => {
      const sample = async (series: string) => {
        const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
        const line = text.split('\n').find((l) => l.startsWith(`${series} `));
        return line ? Number(line.slice(series.length + 1)) : 0;
      };
      const series = [
        'image_uploads_total{outcome="created"}',
        'image_uploads_total{outcome="unsupported_media_type"}',
        'image_processing_seconds_count',
      ];
      const before = await Promise.all(series.map(sample));
      const profile = await createProfile('metrics');
      await uploadOk(profile.id, await makeImage.jpeg(80, 60, 99));
      const refused = await upload(profile.id, imageForm(Buffer.from('not an image at all')));
      assert.equal(refused.statusCode, 415, refused.body);
      const after = await Promise.all(series.map(sample));
      assert.deepEqual(
        after.map((n, i) => n - (before[i] ?? 0)),
        [1, 1, 1],
        'one created, one refused, one processed',
      );
    });
  });
}
