import { openTestPglite } from '../../kit/services.js';
import { visibilitySuite } from './visibility.suite.js';

visibilitySuite('embedded PGlite (in-process cache)', openTestPglite);
