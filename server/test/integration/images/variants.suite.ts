import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import type { Image as ImageView } from '../../../src/api/schemas/image.js';
import { animatedGif, imageForm, jpegWithGps, makeImage } from '../../kit/images.js';
import { type ImageHarness, PROFILES } from './harness.js';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export function variantTests(h: ImageHarness) {
  const { createProfile, upload, uploadOk, media, mediaBase, profileOf } = h;
  describe('variants and metadata', () => {
    it('201: auto-oriented, every bit of metadata (EXIF GPS included) stripped, WebP variants', async () => {
      const profile = await createProfile();
      // 400×200 stored sideways (orientation 6): upright it is 200×400.
      const input = await jpegWithGps(400, 200, 6);
      const inputMeta = await sharp(input).metadata();
      assert.ok(inputMeta.exif, 'the fixture carries EXIF');
      assert.deepEqual(exifReader(inputMeta.exif).GPSInfo?.GPSLatitude, [51, 30, 26.15], 'and GPS in it');

      const res = await upload(profile.id, imageForm(input));
      assert.equal(res.statusCode, 201, res.body);
      const image = res.json() as ImageView;
      assert.equal(res.headers.location, `${PROFILES}/${profile.id}/images/${image.id}`);
      assert.equal(image.content_type, 'image/jpeg');
      assert.deepEqual([image.width, image.height], [200, 400]);
      assert.equal(image.url, image.variants.original);
      const key = (ext: string) =>
        new RegExp(`^${escapeRegExp(mediaBase())}/[0-9a-f]{2}/[0-9a-f]{64}\\.${ext}$`);
      assert.match(image.variants.original, key('jpg'));
      assert.match(image.variants.medium, key('webp'));
      assert.match(image.variants.thumbnail, key('webp'));

      const original = await media(image.variants.original);
      assert.equal(original.statusCode, 200);
      assert.equal(original.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(original.headers['content-type'], 'image/jpeg');
      assert.ok(original.headers.etag);
      assert.equal(original.rawPayload.length, image.bytes);
      const meta = await sharp(original.rawPayload).metadata();
      assert.deepEqual([meta.width, meta.height, meta.orientation], [200, 400, undefined]);
      assert.equal(meta.exif, undefined, 'no EXIF at all, so no GPS');
      assert.equal(meta.xmp, undefined);
      assert.equal(meta.iptc, undefined);
      assert.equal(meta.icc, undefined);
      assert.ok(!original.rawPayload.includes(Buffer.from('Locator 3000')), 'camera model gone');
      assert.ok(!original.rawPayload.includes(Buffer.from('Exif\0')), 'no APP1 Exif segment');

      const thumb = await sharp((await media(image.variants.thumbnail)).rawPayload).metadata();
      assert.deepEqual([thumb.format, thumb.width, thumb.height, thumb.exif], ['webp', 128, 128, undefined]);
      const medium = await sharp((await media(image.variants.medium)).rawPayload).metadata();
      // Never enlarged: a 200-wide picture stays 200 wide.
      assert.deepEqual([medium.format, medium.width, medium.height], ['webp', 200, 400]);

      const after = await profileOf(profile.id);
      assert.deepEqual(after.image_urls, [image.url]);
      assert.equal(after.version, 2);
    });

    it('medium is 512 wide for a larger picture; the aspect ratio is kept', async () => {
      const profile = await createProfile();
      const image = await uploadOk(profile.id, await makeImage.png(1024, 600));
      assert.equal(image.content_type, 'image/png');
      const medium = await sharp((await media(image.variants.medium)).rawPayload).metadata();
      assert.deepEqual([medium.width, medium.height], [512, 300]);
      const thumb = await sharp((await media(image.variants.thumbnail)).rawPayload).metadata();
      assert.deepEqual([thumb.width, thumb.height], [128, 128]);
    });

    it('keeps an animated GIF animated, counting every frame against the pixel cap', async () => {
      const profile = await createProfile();
      const image = await uploadOk(profile.id, await animatedGif(60, 40, 5), 'anim.gif');
      assert.deepEqual([image.content_type, image.width, image.height], ['image/gif', 60, 40]);
      const meta = await sharp((await media(image.url)).rawPayload, { animated: true }).metadata();
      assert.equal(meta.pages, 5);
      const thumb = await sharp((await media(image.variants.thumbnail)).rawPayload).metadata();
      assert.deepEqual([thumb.width, thumb.height], [128, 128]);
    });
  });
}
