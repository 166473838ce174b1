// What every entry point does first: its config, validated once (or exit 1 naming the variable),
// and a last word in the log before a fatal error ends the process.
import { type Config, ConfigError, loadConfig } from '../config.js';
import { flushLogger, type Logger } from '../telemetry/logger.js';

/** Loads config or exits 1 with the bad variable's name on stderr. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`config error: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}

export function exitOnFatal(logger: Logger) {
  const fatal = (kind: string) => (err: unknown) => {
    logger.fatal({ err }, kind);
    void flushLogger(logger, 500).then(() => process.exit(1));
  };
  process.on('uncaughtException', fatal('uncaught exception'));
  process.on('unhandledRejection', fatal('unhandled rejection'));
}
