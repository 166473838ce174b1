// The OpenTelemetry SDK as this service runs it: the instrumentations of what it talks to, spans
// batched to the exporters the OTEL_* variables name, redacted on the way out. Imported only by the
// bootstrap (tracing.ts), and only when tracing is on.
import { basename, extname } from 'node:path';
import { FastifyOtelInstrumentation } from '@fastify/otel';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { AwsInstrumentation } from '@opentelemetry/instrumentation-aws-sdk';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { redactingExporter } from './redact.js';
import type { TracingSettings } from './tracing-settings.js';

type On = Extract<TracingSettings, { on: true }>;

/** Probes and scrapes would otherwise be most of the traces, and say nothing. */
const QUIET_PATHS = new Set(['/health', '/health/ready', '/metrics']);
const pathOf = (url = '') => {
  const at = url.indexOf('?');
  return at < 0 ? url : url.slice(0, at);
};

function instrumentations() {
  return [
    // Outgoing calls only: the request's server span is @fastify/otel's (below), which reads the
    // incoming trace context itself. A second server-side span per request, with its context bound
    // to the request's and response's emitters, cost more than the route's own work on a cached read.
    new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    new UndiciInstrumentation(),
    // The request, named by route; not a span per hook nor one for the handler: a dozen hooks run on
    // every request, and each of those spans cost more than what it timed (the handler's, a tenth of
    // a cached read's CPU, sampled or not), while what a hook or the handler waits for (Redis, the
    // database, the identity provider's keys) has spans of its own under the request's.
    new FastifyOtelInstrumentation({
      registerOnInitialization: true,
      instrumentHooks: false,
      instrumentHandler: false,
      ignorePaths: ({ url }) => QUIET_PATHS.has(pathOf(url)),
    }),
    // Parameter values never go on a span (they are emails, names, payloads): the statement's text
    // only. Without a parent (a scheduler's poll) a query is not worth a trace of its own.
    new PgInstrumentation({
      enhancedDatabaseReporting: false,
      requireParentSpan: true,
      ignoreConnectSpans: true,
    }),
    // The command name only: cache arguments are whole profiles, rate-limit keys name their subject.
    new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command) => command }),
    // A task may run for longer than the default minute before it is acked.
    new AmqplibInstrumentation({ consumeTimeoutMs: 6 * 60 * 60_000 }),
    new AwsInstrumentation({ suppressInternalInstrumentation: true }),
  ];
}

function exporterOf(name: On['exporters'][number], settings: On): SpanExporter {
  if (name === 'console') return new ConsoleSpanExporter();
  // Both read OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT, _HEADERS, _TIMEOUT themselves.
  return settings.protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtoExporter();
}

const numberFrom = (env: NodeJS.ProcessEnv, name: string) => {
  const n = Number(env[name]);
  return env[name] && Number.isFinite(n) && n > 0 ? n : undefined;
};

function processorOf(exporter: SpanExporter, env: NodeJS.ProcessEnv): SpanProcessor {
  const redacted = redactingExporter(exporter);
  if (exporter instanceof ConsoleSpanExporter) return new SimpleSpanProcessor({ exporter: redacted });
  return new BatchSpanProcessor({
    exporter: redacted,
    scheduledDelayMillis: numberFrom(env, 'OTEL_BSP_SCHEDULE_DELAY'),
    maxQueueSize: numberFrom(env, 'OTEL_BSP_MAX_QUEUE_SIZE'),
    maxExportBatchSize: numberFrom(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'),
    exportTimeoutMillis: numberFrom(env, 'OTEL_BSP_EXPORT_TIMEOUT'),
  });
}

/** A service name when the variables give none: which entry point this process is. */
function defaultServiceName(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_SERVICE_NAME || /(^|,)\s*service\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '')) return;
  const entry = process.argv[1] ? basename(process.argv[1], extname(process.argv[1])) : 'node';
  return `profile-service-${entry}`;
}

export function startTracingSdk(settings: On, env: NodeJS.ProcessEnv = process.env): NodeSDK {
  const serviceName = defaultServiceName(env);
  const sdk = new NodeSDK({
    ...(serviceName ? { serviceName } : {}),
    instrumentations: instrumentations(),
    spanProcessors: settings.exporters.map((name) => processorOf(exporterOf(name, settings), env)),
    // Logs go to stdout (pino) and metrics to /metrics (Prometheus): the SDK exports traces only.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  return sdk;
}
