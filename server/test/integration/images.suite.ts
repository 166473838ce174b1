import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import exifReader from 'exif-reader';
import sharp from 'sharp';
import type { Image as ImageView } from '../../src/api/schemas/image.js';
import { composeWorker } from '../../src/compose.js';
import type { Database, QueryObserver } from '../../src/db/database.js';
import { newId } from '../../src/lib/ids.js';
import { createImageProcessor } from '../../src/media/processor.js';
import { createMemoryTransport } from '../../src/queue/memory-transport.js';
import { createImageRepository } from '../../src/repository/images.js';
import type { Profile } from '../../src/repository/profiles.js';
import type { ObjectStorage } from '../../src/storage/storage.js';
import type { Worker } from '../../src/worker/runner.js';
import { startTestApp, type TestApp, uniqueEmail } from '../kit/app.js';
import {
  animatedGif,
  EMPTY_ZIP,
  gifCanvas,
  imageForm,
  jpegWithGps,
  makeImage,
  multipart,
  pngHeaderClaiming,
  pngWithText,
} from '../kit/images.js';

const PROFILES = '/api/v1/profiles';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Lets a test make the storage fail (the put of one variant, say) while the app runs. */
export type StorageFaults = {
  failPut?: (key: string, contentType: string) => boolean;
  /** Every key a put was attempted for. */
  attempted: string[];
};

export function imageSuite(
  engine: string,
  openDb: (observe: QueryObserver) => Promise<{ db: Database; cleanup(): Promise<void> }>,
  extraEnv: () => Record<string, string> = () => ({}),
) {
  // Where image URLs point: the CDN when the environment names one, else this API's /media.
  const mediaBase = () => extraEnv().CDN_BASE_URL ?? '/media';
  describe(`images on ${engine}`, () => {
    let t: TestApp;
    let cleanup: () => Promise<void>;
    let worker: Worker;
    const faults: StorageFaults = { attempted: [] };
    const IMAGE_MAX_BYTES = 2 * 1_048_576;

    before(async () => {
      t = await startTestApp({
        env: {
          TASK_POLL_INTERVAL: '50ms',
          IMAGE_MAX_BYTES: String(IMAGE_MAX_BYTES),
          IMAGE_MAX_PIXELS: '40000000',
          ...extraEnv(),
        },
        openDatabase: async (observe) => {
          const opened = await openDb(observe);
          cleanup = opened.cleanup;
          return opened.db;
        },
        wrapStorage: (inner): ObjectStorage => ({
          ...inner,
          async put(key, body, contentType) {
            faults.attempted.push(key);
            if (faults.failPut?.(key, contentType)) throw new Error('injected storage failure');
            return inner.put(key, body, contentType);
          },
        }),
      });
      worker = composeWorker(t.container, createMemoryTransport());
      await worker.start();
    });
    after(async () => {
      await worker?.stop();
      await t?.close();
      await cleanup?.();
    });

    const storage = () => t.container.storage;
    const createProfile = async (tag = 'img') => {
      const res = await t.app.inject({
        method: 'POST',
        url: PROFILES,
        payload: { name: 'Image Owner', email: uniqueEmail(tag) },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as Profile;
    };
    const upload = (profileId: string, form: { body: Buffer; contentType: string }) =>
      t.app.inject({
        method: 'POST',
        url: `${PROFILES}/${profileId}/images`,
        headers: { 'content-type': form.contentType },
        payload: form.body,
      });
    const uploadOk = async (profileId: string, data: Buffer, filename = 'photo.jpg') => {
      const res = await upload(profileId, imageForm(data, filename));
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as ImageView;
    };
    const profileOf = async (id: string) =>
      (await t.app.inject({ method: 'GET', url: `${PROFILES}/${id}` })).json() as Profile;
    const imagesOf = async (id: string) =>
      (await t.app.inject({ method: 'GET', url: `${PROFILES}/${id}/images` })).json() as ImageView[];
    const keyOf = (url: string) => url.replace(/^.*\/media\//, '');
    const keysOf = (img: ImageView) => Object.values(img.variants).map(keyOf);
    const media = (url: string, headers: Record<string, string> = {}) =>
      t.app.inject({ method: 'GET', url: url.replace(/^https?:\/\/[^/]+/, ''), headers });
    const allExist = async (keys: string[]) =>
      (await Promise.all(keys.map((k) => storage().exists(k)))).every(Boolean);
    const noneExist = async (keys: string[]) =>
      (await Promise.all(keys.map((k) => storage().exists(k)))).every((e) => !e);
    /** Object deletion runs as a task: wait for the worker to finish it. */
    const eventually = async (check: () => Promise<boolean>, what: string, ms = 15_000) => {
      const deadline = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
        await sleep(25);
      }
    };
    const problem = (res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) => {
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      return res.json() as { status: number; code: string; detail: string; errors?: { field: string }[] };
    };

    describe('upload', () => {
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
        assert.deepEqual(
          [thumb.format, thumb.width, thumb.height, thumb.exif],
          ['webp', 128, 128, undefined],
        );
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
          assert.equal(
            (await sharp(served.rawPayload).metadata()).format,
            format === 'avif' ? 'heif' : format,
          );
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

      it('keeps an animated GIF animated, counting every frame against the pixel cap', async () => {
        const profile = await createProfile();
        const image = await uploadOk(profile.id, await animatedGif(60, 40, 5), 'anim.gif');
        assert.deepEqual([image.content_type, image.width, image.height], ['image/gif', 60, 40]);
        const meta = await sharp((await media(image.url)).rawPayload, { animated: true }).metadata();
        assert.equal(meta.pages, 5);
        const thumb = await sharp((await media(image.variants.thumbnail)).rawPayload).metadata();
        assert.deepEqual([thumb.width, thumb.height], [128, 128]);
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

      it('concurrent uploads to one profile: none is lost, one version per image', async () => {
        const profile = await createProfile();
        const datas = await Promise.all(
          [1, 2, 3, 4, 5, 6].map((seed) => makeImage.jpeg(200, 150, 100 + seed)),
        );
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

      it('the cache follows: a cached profile is served with its new image and version', async () => {
        const profile = await createProfile();
        await profileOf(profile.id);
        const image = await uploadOk(profile.id, await makeImage.webp(100, 100, 21));
        const res = await t.app.inject({ method: 'GET', url: `${PROFILES}/${profile.id}` });
        assert.equal(res.headers['x-cache'], 'HIT');
        assert.equal(res.headers.etag, '"2"');
        assert.deepEqual((res.json() as Profile).image_urls, [image.url]);
      });
    });

    describe('refusals', () => {
      let profile: Profile;
      before(async () => {
        profile = await createProfile('refusals');
      });
      const expectRefused = async (
        form: { body: Buffer; contentType: string },
        status: number,
        code: string,
      ) => {
        const res = await upload(profile.id, form);
        assert.equal(res.statusCode, status, res.body);
        const p = problem(res);
        assert.equal(p.code, code);
        assert.ok(p.detail.length > 0);
        return p;
      };
      const unchanged = async (version = 1) => {
        const p = await profileOf(profile.id);
        assert.deepEqual([p.version, p.image_urls], [version, []], 'nothing stored');
        assert.deepEqual(await imagesOf(profile.id), []);
      };

      it('415 for files that are not images, whatever they claim to be', async () => {
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
        const big = Buffer.concat([await makeImage.jpeg(64, 64), Buffer.alloc(IMAGE_MAX_BYTES)]);
        const p = await expectRefused(imageForm(big), 413, 'payload_too_large');
        assert.match(p.detail, /2 MiB/);
        await unchanged();
      });

      it('400 for a form without exactly one "image" file; 415 for a body that is not a form', async () => {
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
    });

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
        await eventually(() => noneExist(keysOf(drop)), 'the deleted image objects are gone');
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
        await eventually(async () => {
          const d = await t.container.taskRepo.depth();
          return d.due + d.queued + d.running === 0;
        }, 'the cleanup task ran');
        assert.ok(await allExist(keysOf(onB)));
        assert.equal((await media(onB.url)).statusCode, 200);
        await t.app.inject({ method: 'DELETE', url: `${PROFILES}/${b.id}/images/${onB.id}` });
        await eventually(() => noneExist(keysOf(onB)), 'objects gone once no image names them');
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
        await eventually(() => noneExist(images.flatMap(keysOf)), 'the profile’s objects are gone');
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
        await eventually(() => noneExist(faults.attempted), 'every object written by a raced upload is gone');
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

      it('a process that dies between writing objects and committing leaves them to its write-ahead task', async () => {
        const profile = await createProfile();
        const processed = await createImageProcessor({ maxPixels: 40_000_000, concurrency: 1 }).process(
          await makeImage.jpeg(100, 80, 88),
        );
        const objects = Object.values(processed.objects);
        const intent = newId();
        const repo = createImageRepository(t.container.db);
        const died = repo.insert(
          {
            id: newId(),
            profile_id: profile.id,
            url: `/media/${processed.objects.original.key}`,
            content_type: processed.contentType,
            width: processed.width,
            height: processed.height,
            bytes: processed.bytes,
            original_key: processed.objects.original.key,
            medium_key: processed.objects.medium.key,
            thumbnail_key: processed.objects.thumbnail.key,
          },
          new Date(),
          async () => {
            for (const o of objects) await storage().put(o.key, o.body, o.contentType);
            throw new Error('the process died here');
          },
          intent,
        );
        await assert.rejects(died, /died here/);
        assert.ok(await allExist(objects.map((o) => o.key)), 'written, and nobody cleaned up');
        const task = (await t.app.inject({ method: 'GET', url: `/api/v1/tasks/${intent}` })).json() as {
          type: string;
          status: string;
          run_at: string;
        };
        assert.equal(task.type, 'media.delete');
        assert.equal(task.status, 'scheduled');
        assert.ok(
          Date.parse(task.run_at) > Date.now() + 60_000,
          'it waits for the upload to have had its chance',
        );
        // Time passes.
        await t.container.db.query(`UPDATE tasks SET run_at = now() WHERE id = $1`, [intent]);
        await eventually(
          () => noneExist(objects.map((o) => o.key)),
          'the write-ahead task deleted the objects',
        );
        assert.deepEqual(await imagesOf(profile.id), []);
      });

      it('an upload that fails midway leaves no object and no row', async () => {
        const profile = await createProfile();
        const data = await makeImage.jpeg(240, 160, 61);
        // The original (JPEG) is written; the WebP variants' writes fail.
        faults.failPut = (_key, contentType) => contentType === 'image/webp';
        faults.attempted = [];
        try {
          const res = await upload(profile.id, imageForm(data));
          assert.equal(res.statusCode, 503, res.body);
          assert.equal(problem(res).code, 'unavailable');
        } finally {
          faults.failPut = undefined;
        }
        assert.equal(faults.attempted.length, 3);
        assert.ok(await noneExist(faults.attempted), 'the written original was deleted before the answer');
        const p = await profileOf(profile.id);
        assert.deepEqual([p.version, p.image_urls], [1, []]);
        assert.deepEqual(await imagesOf(profile.id), []);
        // The same upload succeeds now; undo it, and no object at all may remain.
        const ok = await uploadOk(profile.id, data);
        await t.app.inject({ method: 'DELETE', url: `${PROFILES}/${profile.id}/images/${ok.id}` });
        await eventually(() => noneExist(keysOf(ok)), 'objects gone');
      });
    });

    describe('/media', () => {
      let image: ImageView;
      before(async () => {
        const profile = await createProfile('media');
        image = await uploadOk(profile.id, await makeImage.jpeg(300, 300, 71));
      });

      it('Range requests get 206 with the bytes asked for', async () => {
        const full = (await media(image.url)).rawPayload;
        const res = await media(image.url, { range: 'bytes=10-29' });
        assert.equal(res.statusCode, 206);
        assert.equal(res.headers['content-range'], `bytes 10-29/${full.length}`);
        assert.deepEqual(res.rawPayload, full.subarray(10, 30));
        assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
      });

      it('If-None-Match with the ETag gets 304', async () => {
        const first = await media(image.url);
        const etag = String(first.headers.etag);
        const res = await media(image.url, { 'if-none-match': etag });
        assert.equal(res.statusCode, 304);
        assert.equal(res.rawPayload.length, 0);
      });

      it('404 for unknown keys and anything that is not a key; no path climbs out', async () => {
        const unknown = `/media/ab/${'ab'.repeat(32)}.webp`;
        for (const url of [
          unknown,
          '/media/',
          '/media/.tmp',
          '/media/../package.json',
          '/media/%2e%2e/%2e%2e/package.json',
          '/media/..%2f..%2fpackage.json',
          `/media/${keyOf(image.url)}/..`,
          '/media/ab/../../../etc/passwd',
        ]) {
          const res = await t.app.inject({ method: 'GET', url });
          assert.equal(res.statusCode, 404, `${url}: ${res.statusCode} ${res.body.slice(0, 100)}`);
        }
      });
    });

    it('readiness reports the storage', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { checks: { storage: { status: string; mode: string } } };
      assert.equal(body.checks.storage.status, 'up');
      assert.equal(body.checks.storage.mode, storage().driver);
    });

    it('metrics count uploads by outcome', async () => {
      const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(text, /image_uploads_total\{outcome="created"\} [1-9]/);
      assert.match(text, /image_uploads_total\{outcome="unsupported_media_type"\} [1-9]/);
      assert.match(text, /image_processing_seconds_count [1-9]/);
    });
  });
}
