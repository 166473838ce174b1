import { describe } from 'node:test';
import { openTestPostgres, servicesUnavailable } from '../kit/services.js';
import { idempotencySuite } from './idempotency.suite.js';

const skip = await servicesUnavailable('postgres');
describe('real PostgreSQL', { skip }, () => {
  idempotencySuite('PostgreSQL', (observe) => openTestPostgres('idem', observe));
});
