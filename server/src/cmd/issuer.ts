// The development identity provider on its own (`node dist/cmd/issuer.js`), for the local
// Kubernetes and Compose setups: AUTH_ISSUER is the URL it is reached at (and names in its tokens),
// AUTH_PORT where it listens. Development only: anyone signs in with any email.
import { createDevIdentityProvider } from '../lifecycle/embedded-issuer.js';
import { onShutdownSignal } from '../lifecycle/shutdown.js';
import { exitOnFatal, loadConfigOrExit } from '../lifecycle/startup.js';
import { createLogger, flushLogger } from '../telemetry/logger.js';

const config = loadConfigOrExit();
const { auth } = config;
if (!auth.issuer) {
  process.stderr.write('config error: AUTH_ISSUER is required: the URL clients reach this provider at\n');
  process.exit(1);
}
const logger = createLogger({ level: config.logLevel, base: { role: 'issuer' } });
exitOnFatal(logger);
const idp = await createDevIdentityProvider(config, auth.issuer);
const port = await idp.listen(auth.devPort, config.host);
logger.info({ issuer: auth.issuer, port }, 'development identity provider listening (development only)');
void flushLogger(logger);
onShutdownSignal({ logger, graceMs: config.shutdownGraceMs, stop: () => idp.close() });
