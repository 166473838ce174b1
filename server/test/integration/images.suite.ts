import { describe } from 'node:test';
import type { TestDatabaseOpener } from '../kit/app.js';
import { concurrencyTests } from './images/concurrency.suite.js';
import { deletionTests } from './images/deletion.suite.js';
import { imageHarness } from './images/harness.js';
import { refusalTests } from './images/refusals.suite.js';
import { storageTests } from './images/storage.suite.js';
import { uploadTests } from './images/upload.suite.js';
import { variantTests } from './images/variants.suite.js';

/**
 * The image API on one engine and storage: uploads and their variants, refusals, deletion, storage
 * and serving, and races between them. Each concern has a file of its own under images/.
 */
export function imageSuite(
  engine: string,
  database: TestDatabaseOpener,
  extraEnv: () => Record<string, string> = () => ({}),
) {
  describe(`images on ${engine}`, () => {
    const h = imageHarness(database, extraEnv);
    uploadTests(h);
    variantTests(h);
    refusalTests(h);
    deletionTests(h);
    concurrencyTests(h);
    storageTests(h);
  });
}
