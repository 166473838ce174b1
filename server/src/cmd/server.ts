// Production API entry point: never falls back to embedded parts.
import { runServer } from '../lifecycle/run-server.js';
import { loadConfigOrExit } from '../lifecycle/startup.js';

const config = loadConfigOrExit();
for (const [name, value] of [
  ['DB_URI', config.dbUri],
  ['AUTH_ISSUER', config.auth.issuer],
] as const) {
  if (!value) {
    process.stderr.write(
      `config error: ${name} is required for the production server (npm start runs the embedded mode)\n`,
    );
    process.exit(1);
  }
}
// Test-only, and never set by any deployment: the crash a test of Idempotency-Key replays needs.
const crashAfterIdempotentCommit = process.env.TEST_FAULT_CRASH_AFTER_IDEMPOTENT_COMMIT === '1';
await runServer(config, { role: 'server', faults: { crashAfterIdempotentCommit } });
