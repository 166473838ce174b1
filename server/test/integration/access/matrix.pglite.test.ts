import { openTestPglite } from '../../kit/services.js';
import { accessMatrix } from './matrix.suite.js';

accessMatrix('embedded PGlite (in-process cache)', openTestPglite);
