import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Image as ImageView } from '../../../src/api/schemas/image.js';
import { newId } from '../../../src/lib/ids.js';
import { MAX_IMAGES_PER_PROFILE } from '../../../src/media/limits.js';
import { createImageProcessor } from '../../../src/media/processor.js';
import { createImageRepository } from '../../../src/repository/images.js';
import { imageForm, makeImage } from '../../kit/images.js';
import { type ImageHarness, PROFILES } from './harness.js';

export function storageTests(h: ImageHarness) {
  const {
    t,
    faults,
    storage,
    createProfile,
    upload,
    uploadOk,
    profileOf,
    imagesOf,
    keyOf,
    keysOf,
    media,
    allExist,
    noneExist,
    gone,
    problem,
  } = h;
  describe('storage and serving', () => {
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
        MAX_IMAGES_PER_PROFILE,
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
      await gone(
        objects.map((o) => o.key),
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
      await gone(keysOf(ok), 'objects gone');
    });

    it('readiness reports the storage', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/health/ready' });
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json() as { checks: { storage: { status: string; mode: string } } };
      assert.equal(body.checks.storage.status, 'up');
      assert.equal(body.checks.storage.mode, storage().driver);
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
  });
}
