import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sharp from 'sharp';
import { MAX_IMAGES_PER_PROFILE } from '../../../src/media/limits.js';
import {
  EMPTY_ZIP,
  gifCanvas,
  imageForm,
  makeImage,
  multipart,
  pngHeaderClaiming,
  pngWithText,
} from '../../kit/images.js';
import { IMAGE_MAX_BYTES, type ImageHarness, PROFILES } from './harness.js';

export function refusalTests(h: ImageHarness) {
  const { t, createProfile, upload, profileOf, imagesOf, problem } = h;
  describe('refusals', () => {
    /** A profile of the test's own, and what a refused upload to it must (not) have done. */
    const refusing = async () => {
      const profile = await createProfile('refusals');
      return {
        profile,
        async expectRefused(form: { body: Buffer; contentType: string }, status: number, code: string) {
          const res = await upload(profile.id, form);
          assert.equal(res.statusCode, status, res.body);
          const p = problem(res);
          assert.equal(p.code, code);
          assert.ok(p.detail.length > 0);
          return p;
        },
        async unchanged() {
          const p = await profileOf(profile.id);
          assert.deepEqual([p.version, p.image_urls], [1, []], 'nothing stored');
          assert.deepEqual(await imagesOf(profile.id), []);
        },
      };
    };

    it('415 for files that are not images, whatever they claim to be', async () => {
      const { profile, unchanged } = await refusing();
      const jpegTail = await makeImage.jpeg(64, 64, 3);
      const cases: [string, Buffer, string][] = [
        ['text', Buffer.from('just some words\n'), 'image/jpeg'],
        [
          'SVG',
          Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
          'image/svg+xml',
        ],
        ['HTML', Buffer.from('<!doctype html><html><body>hi</body></html>'), 'image/png'],
        ['PDF', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n'), 'image/jpeg'],
        ['TIFF', await sharp(jpegTail).tiff().toBuffer(), 'image/tiff'],
        ['JSON', Buffer.from('{"image": true}'), 'image/png'],
        [
          'JPEG with a script appended',
          Buffer.concat([jpegTail, Buffer.from('<script>alert(1)</script>')]),
          'image/jpeg',
        ],
        [
          'PNG carrying an HTML page',
          pngWithText(await makeImage.png(32, 32), '<html><body onload=alert(1)>'),
          'image/png',
        ],
        [
          'GIF that is also a ZIP (GIFAR)',
          Buffer.concat([await makeImage.gif(32, 32), EMPTY_ZIP]),
          'image/gif',
        ],
        [
          'JPEG that is also a PDF',
          Buffer.concat([jpegTail.subarray(0, 20), Buffer.from('%PDF-1.4'), jpegTail.subarray(20)]),
          'image/jpeg',
        ],
      ];
      for (const [what, data, claimed] of cases) {
        const res = await upload(profile.id, imageForm(data, 'x.jpg', claimed));
        assert.equal(res.statusCode, 415, `${what}: ${res.body}`);
        assert.equal(problem(res).code, 'unsupported_media_type', what);
      }
      await unchanged();
    });

    it('422 for truncated or corrupt images', async () => {
      const { profile, unchanged } = await refusing();
      const jpeg = await makeImage.jpeg(320, 240, 5);
      const png = await makeImage.png(320, 240, 5);
      const webp = await makeImage.webp(320, 240, 5);
      const corrupt = Buffer.from(jpeg);
      corrupt.fill(0x00, 600, 2600);
      const cases: [string, Buffer][] = [
        ['truncated JPEG', jpeg.subarray(0, Math.floor(jpeg.length * 0.6))],
        ['truncated PNG', png.subarray(0, Math.floor(png.length * 0.5))],
        ['truncated WebP', webp.subarray(0, Math.floor(webp.length * 0.5))],
        [
          'JPEG magic then garbage',
          Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 7)]),
        ],
        ['GIF header alone', Buffer.from('GIF89a')],
        ['corrupt JPEG', corrupt],
      ];
      for (const [what, data] of cases) {
        const res = await upload(profile.id, imageForm(data));
        assert.equal(res.statusCode, 422, `${what}: ${res.body}`);
        assert.equal(problem(res).code, 'image_undecodable', what);
      }
      await unchanged();
    });

    it('422 for more pixels than IMAGE_MAX_PIXELS, judged from the header without decoding', async () => {
      const { expectRefused, unchanged } = await refusing();
      // The pixel data is missing: a decode would fail as corrupt, so this answer came from the header.
      const bomb = await expectRefused(
        imageForm(pngHeaderClaiming(100_000, 100_000), 'bomb.png'),
        422,
        'image_too_many_pixels',
      );
      assert.match(bomb.detail, /10000000000 pixels/);
      // A real, tiny file that would inflate to 7000×6000 = 42 MP.
      const real = await sharp({
        create: { width: 7000, height: 6000, channels: 3, background: '#808080' },
      })
        .png()
        .toBuffer();
      assert.ok(real.length < 1_048_576);
      await expectRefused(imageForm(real, 'flat.png'), 422, 'image_too_many_pixels');
      // Frames count: one 4000×4000 frame (16 MP) passes the cap; three such frames (48 MP) do not.
      const other = await createProfile();
      const oneFrame = await upload(other.id, imageForm(gifCanvas(4000, 4000, 1), 'one.gif'));
      assert.equal(oneFrame.statusCode, 201, oneFrame.body);
      await expectRefused(imageForm(gifCanvas(4000, 4000, 3), 'three.gif'), 422, 'image_too_many_pixels');
      await unchanged();
    });

    it('413 for a file over IMAGE_MAX_BYTES', async () => {
      const { expectRefused, unchanged } = await refusing();
      const big = Buffer.concat([await makeImage.jpeg(64, 64), Buffer.alloc(IMAGE_MAX_BYTES)]);
      const p = await expectRefused(imageForm(big), 413, 'payload_too_large');
      assert.match(p.detail, /2 MiB/);
      await unchanged();
    });

    it('400 for a form without exactly one "image" file; 415 for a body that is not a form', async () => {
      const { profile, expectRefused, unchanged } = await refusing();
      const jpeg = await makeImage.jpeg(64, 64);
      await expectRefused(
        multipart([{ name: 'avatar', filename: 'a.jpg', data: jpeg }]),
        400,
        'validation_failed',
      );
      await expectRefused(multipart([{ name: 'note', data: 'hello' }]), 400, 'validation_failed');
      await expectRefused(imageForm(Buffer.alloc(0)), 400, 'validation_failed');
      await expectRefused(
        multipart([
          { name: 'image', filename: 'a.jpg', data: jpeg },
          { name: 'image', filename: 'b.jpg', data: jpeg },
        ]),
        400,
        'validation_failed',
      );
      const truncatedForm = imageForm(jpeg);
      await expectRefused(
        { body: truncatedForm.body.subarray(0, 200), contentType: truncatedForm.contentType },
        400,
        'bad_request',
      );
      for (const contentType of ['image/jpeg', 'application/json', 'text/plain', 'multipart/form-data']) {
        const res = await t.app.inject({
          method: 'POST',
          url: `${PROFILES}/${profile.id}/images`,
          headers: { 'content-type': contentType },
          payload: contentType === 'application/json' ? '{}' : jpeg,
        });
        assert.equal(res.statusCode, 415, `${contentType}: ${res.body}`);
        assert.equal(problem(res).code, 'unsupported_media_type');
      }
      await unchanged();
    });

    it('404 for an unknown or malformed profile id', async () => {
      const form = imageForm(await makeImage.jpeg(64, 64));
      for (const id of ['01890000-0000-7000-8000-000000000000', 'not-a-uuid']) {
        const res = await upload(id, form);
        assert.equal(res.statusCode, 404, res.body);
        assert.equal(problem(res).code, 'not_found');
        const list = await t.app.inject({ method: 'GET', url: `${PROFILES}/${id}/images` });
        assert.equal(list.statusCode, 404);
      }
    });

    it(`409 once a profile has ${MAX_IMAGES_PER_PROFILE} images, even when two uploads race for the last place`, async () => {
      const profile = await createProfile('limit');
      const distinct = (seed: number) => makeImage.jpeg(48, 40, seed + 100);
      for (let i = 0; i < MAX_IMAGES_PER_PROFILE - 1; i++) {
        const res = await upload(profile.id, imageForm(await distinct(i)));
        assert.equal(res.statusCode, 201, res.body);
      }
      const racing = await Promise.all([
        upload(profile.id, imageForm(await distinct(900))),
        upload(profile.id, imageForm(await distinct(901))),
      ]);
      assert.deepEqual(racing.map((r) => r.statusCode).sort(), [201, 409]);
      const before = await profileOf(profile.id);
      assert.equal(before.image_urls.length, MAX_IMAGES_PER_PROFILE);
      const over = await upload(profile.id, imageForm(await distinct(902)));
      assert.equal(over.statusCode, 409, over.body);
      const p = problem(over);
      assert.equal(p.code, 'image_limit_reached');
      assert.match(p.detail, new RegExp(`at most ${MAX_IMAGES_PER_PROFILE} images`));
      const after = await profileOf(profile.id);
      assert.deepEqual([after.version, after.image_urls], [before.version, before.image_urls]);
      assert.equal((await imagesOf(profile.id)).length, MAX_IMAGES_PER_PROFILE);
    });
  });
}
