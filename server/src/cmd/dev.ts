// All-in-one entry point (`npm start`): anything not configured falls back to an embedded part,
// the identity provider included.
import { startEmbeddedIssuer } from '../lifecycle/embedded-issuer.js';
import { runServer } from '../lifecycle/run-server.js';
import { loadConfigOrExit } from '../lifecycle/startup.js';
import { createLogger } from '../telemetry/logger.js';

const env = { NODE_ENV: 'development', ...process.env };
let config = loadConfigOrExit(env);
let stopIssuer: (() => Promise<void>) | undefined;
if (!config.auth.issuer) {
  const logger = createLogger({ level: config.logLevel, base: { role: 'dev' } });
  const issuer = await startEmbeddedIssuer(config, logger);
  stopIssuer = issuer.close;
  config = loadConfigOrExit({ ...env, AUTH_ISSUER: issuer.url });
}
await runServer(config, {
  role: 'dev',
  embeddedWorker: true,
  ...(stopIssuer ? { alsoStop: stopIssuer } : {}),
});
