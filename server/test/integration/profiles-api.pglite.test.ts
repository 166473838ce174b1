import { createPgliteDatabase } from '../../src/db/pglite.js';
import { profileApiSuite } from './profiles-api.suite.js';

profileApiSuite('embedded PGlite', async (observe) => {
  const db = await createPgliteDatabase({ dataDir: undefined, observe });
  return { db, cleanup: async () => {} };
});
