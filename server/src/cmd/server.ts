// Production API entry point: never falls back to embedded parts.
import { runServer } from '../lifecycle/run-server.js';
import { loadConfigOrExit } from '../lifecycle/startup.js';

const config = loadConfigOrExit();
if (!config.dbUri) {
  process.stderr.write(
    'config error: DB_URI is required for the production server (npm start runs the embedded mode)\n',
  );
  process.exit(1);
}
await runServer(config, { role: 'server' });
