// The tracing bootstrap, loaded before the application with `node --import ./dist/telemetry/tracing.js
// dist/cmd/<entry>.js`: instrumentations must be in place before pg, ioredis, amqplib and Fastify
// are first imported. By nature the one module with effects at import. With tracing off (no exporter
// configured) it imports nothing more and changes nothing: no SDK, no loader hook, no cost.
import { register } from 'node:module';
import { TracingConfigError, tracingSettings } from './tracing-settings.js';

function line(level: 'info' | 'error', msg: string, fields: Record<string, unknown>) {
  // The shape of the service's pino lines; pino itself is not loaded yet.
  process.stdout.write(
    `${JSON.stringify({ level, time: new Date().toISOString(), service: 'profile-service', msg, ...fields })}\n`,
  );
}

let settings: ReturnType<typeof tracingSettings>;
try {
  settings = tracingSettings(process.env);
} catch (err) {
  if (!(err instanceof TracingConfigError)) throw err;
  process.stderr.write(`config error: ${err.message}\n`);
  process.exit(1);
}

if (settings.on) {
  // ESM imports of CommonJS packages (ioredis, amqplib, pg) are only seen through this loader hook;
  // limited to them, the application's own modules are left alone.
  register('import-in-the-middle/hook.mjs', import.meta.url, {
    data: { include: ['pg', 'pg-pool', 'ioredis', 'amqplib'] },
  });
  const { startTracingSdk } = await import('./tracing-sdk.js');
  const sdk = startTracingSdk(settings);
  // Spans still batched when the process ends go out first (bounded: the exporter's own timeout).
  const flush = () => sdk.shutdown().catch(() => {});
  process.once('beforeExit', flush);
  line('info', 'tracing on', {
    exporters: settings.exporters,
    protocol: settings.protocol,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
  });
} else {
  line('info', 'tracing off', { reason: settings.reason });
}
