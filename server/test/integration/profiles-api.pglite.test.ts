import { openTestPglite } from '../helpers/services.js';
import { profileApiSuite } from './profiles-api.suite.js';

profileApiSuite('embedded PGlite', openTestPglite);
