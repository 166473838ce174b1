// All-in-one entry point (`npm start`): anything not configured falls back to an embedded part.
import { loadConfigOrExit, runServer } from './run.js';

const config = loadConfigOrExit({ NODE_ENV: 'development', ...process.env });
await runServer(config, { role: 'dev', embeddedWorker: true });
