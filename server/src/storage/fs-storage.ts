import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isObjectKey, type ObjectStorage } from './storage.js';

/**
 * Objects as files under root. A put writes a temporary file in root/.tmp and renames it into place,
 * so a reader (or a crash) never sees half an object. Dot-directories are never served.
 */
export function createFsStorage({ root }: { root: string }): ObjectStorage {
  const tmpDir = join(root, '.tmp');
  const pathOf = (key: string) => {
    // Keys are made here from hashes; anything else could climb out of root.
    if (!isObjectKey(key)) throw new Error(`invalid object key "${key}"`);
    return join(root, key);
  };

  return {
    driver: 'fs',

    async put(key, body) {
      const target = pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      await mkdir(tmpDir, { recursive: true });
      const tmp = join(tmpDir, `${randomUUID()}.part`);
      try {
        await writeFile(tmp, body);
        await rename(tmp, target);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    async exists(key) {
      return stat(pathOf(key)).then(
        (s) => s.isFile(),
        () => false,
      );
    },

    // The API serves the fs driver's files with @fastify/static; this read is for tools and tests.
    async get(key) {
      const path = pathOf(key);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) return undefined;
      return {
        status: 200,
        body: createReadStream(path),
        contentType: undefined,
        contentLength: info.size,
        contentRange: undefined,
        etag: undefined,
        lastModified: info.mtime,
      };
    },

    async ping() {
      await mkdir(root, { recursive: true });
    },

    async close() {},
  };
}
