import { openTestPglite } from '../kit/services.js';
import { idempotencySuite } from './idempotency.suite.js';

idempotencySuite('embedded PGlite', openTestPglite);
