import { openTestPglite } from '../kit/services.js';
import { profileApiSuite } from './profiles-api.suite.js';

profileApiSuite('embedded PGlite', openTestPglite);
