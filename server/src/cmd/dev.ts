// All-in-one entry point (`npm start`): anything not configured falls back to an embedded part.
import { runServer } from '../lifecycle/run-server.js';
import { loadConfigOrExit } from '../lifecycle/startup.js';

const config = loadConfigOrExit({ NODE_ENV: 'development', ...process.env });
await runServer(config, { role: 'dev', embeddedWorker: true });
