// What every image test file uses: one app per engine with a worker beside it (object deletion runs
// as a task), storage whose writes a test can make fail, and the requests the tests make.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import type { Image as ImageView } from '../../../src/api/schemas/image.js';
import type { Profile } from '../../../src/api/schemas/profile.js';
import { composeWorker } from '../../../src/compose.js';
import { createMemoryTransport } from '../../../src/queue/memory-transport.js';
import type { ObjectStorage } from '../../../src/storage/storage.js';
import type { Worker } from '../../../src/worker/runner.js';
import {
  anonymous,
  startTestApp,
  type TestApp,
  type TestDatabaseOpener,
  uniqueEmail,
} from '../../kit/app.js';
import { eventually } from '../../kit/eventually.js';
import { imageForm } from '../../kit/images.js';

export const PROFILES = '/api/v1/profiles';
export const IMAGE_MAX_BYTES = 2 * 1_048_576;

/** Lets a test make the storage fail (the put of one variant, say) while the app runs. */
export type StorageFaults = {
  failPut?: (key: string, contentType: string) => boolean;
  /** Every key a put was attempted for. */
  attempted: string[];
};

type Form = { body: Buffer; contentType: string };
type Problem = { status: number; code: string; detail: string; errors?: { field: string }[] };

export type ImageHarness = ReturnType<typeof imageHarness>;

/** Starts the app and its worker before the enclosing describe's tests, stops both after them. */
export function imageHarness(database: TestDatabaseOpener, extraEnv: () => Record<string, string>) {
  let started: TestApp | undefined;
  let worker: Worker | undefined;
  const faults: StorageFaults = { attempted: [] };
  before(async () => {
    started = await startTestApp({
      env: {
        TASK_POLL_INTERVAL: '50ms',
        IMAGE_MAX_BYTES: String(IMAGE_MAX_BYTES),
        IMAGE_MAX_PIXELS: '40000000',
        ...extraEnv(),
      },
      testDatabase: database,
      wrapStorage: (inner): ObjectStorage => ({
        ...inner,
        async put(key, body, contentType) {
          faults.attempted.push(key);
          if (faults.failPut?.(key, contentType)) throw new Error('injected storage failure');
          return inner.put(key, body, contentType);
        },
      }),
    });
    worker = composeWorker(started.container, createMemoryTransport());
    await worker.start();
  });
  after(async () => {
    await worker?.stop();
    await started?.close();
  });
  const need = () => started ?? assert.fail('the image app is not started');
  const t = {
    get app() {
      return need().app;
    },
    get container() {
      return need().container;
    },
  };
  return { t, faults, ...requests(t, extraEnv) };
}

function requests(t: Pick<TestApp, 'app' | 'container'>, extraEnv: () => Record<string, string>) {
  const storage = () => t.container.storage;
  const inject = (method: 'GET' | 'DELETE', url: string) => t.app.inject({ method, url });
  const upload = (profileId: string, form: Form) =>
    t.app.inject({
      method: 'POST',
      url: `${PROFILES}/${profileId}/images`,
      headers: { 'content-type': form.contentType },
      payload: form.body,
    });
  const exists = (keys: string[]) => Promise.all(keys.map((k) => storage().exists(k)));
  const keyOf = (url: string) => url.replace(/^.*\/media\//, '');
  return {
    storage,
    /** Where image URLs point: the CDN when the environment names one, else this API's /media. */
    mediaBase: () => extraEnv().CDN_BASE_URL ?? '/media',
    async createProfile(tag = 'img') {
      const res = await t.app.inject({
        method: 'POST',
        url: PROFILES,
        payload: { name: 'Image Owner', email: uniqueEmail(tag) },
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as Profile;
    },
    upload,
    async uploadOk(profileId: string, data: Buffer, filename = 'photo.jpg') {
      const res = await upload(profileId, imageForm(data, filename));
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as ImageView;
    },
    deleteImage: (profileId: string, imageId: string) =>
      inject('DELETE', `${PROFILES}/${profileId}/images/${imageId}`),
    profileOf: async (id: string) => (await inject('GET', `${PROFILES}/${id}`)).json() as Profile,
    imagesOf: async (id: string) => (await inject('GET', `${PROFILES}/${id}/images`)).json() as ImageView[],
    keyOf,
    keysOf: (img: ImageView) => Object.values(img.variants).map(keyOf),
    /** A media URL fetched as a CDN or a browser does: without a token. */
    media: (url: string, headers: Record<string, string> = {}) =>
      t.app.inject({
        method: 'GET',
        url: url.replace(/^https?:\/\/[^/]+/, ''),
        headers: anonymous(headers),
      }),
    allExist: async (keys: string[]) => (await exists(keys)).every(Boolean),
    noneExist: async (keys: string[]) => (await exists(keys)).every((e) => !e),
    /** Object deletion runs as a task: waits for the worker to have removed every one of `keys`. */
    gone: (keys: string[], what: string) =>
      eventually(what, async () => (await exists(keys)).filter(Boolean).length, {
        until: (left) => left === 0,
      }),
    problem(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      return res.json() as Problem;
    },
  };
}
