// What the standard OTEL_* variables ask of tracing, decided once before anything is loaded. Tracing is
// off unless an exporter is configured: no OTLP endpoint and no OTEL_TRACES_EXPORTER means the SDK is
// never imported, so a service that does not trace pays nothing for it.

export type TraceExporterName = 'otlp' | 'console';
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export type TracingSettings =
  | { on: false; reason: string }
  | { on: true; exporters: TraceExporterName[]; protocol: OtlpProtocol; endpoint: string | undefined };

export class TracingConfigError extends Error {}

const PROTOCOLS: readonly string[] = ['http/protobuf', 'http/json'];
const EXPORTERS: readonly string[] = ['otlp', 'console', 'none'];

const BATCH_NUMBERS = [
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_BSP_EXPORT_TIMEOUT',
] as const;
// The samplers the SDK builds from OTEL_TRACES_SAMPLER; it would fall back to the default, silently,
// on any other name or on a ratio out of range.
const SAMPLERS: readonly string[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

const set = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

function checkSampler(env: NodeJS.ProcessEnv): void {
  const sampler = set(env.OTEL_TRACES_SAMPLER);
  if (sampler !== undefined && !SAMPLERS.includes(sampler))
    throw new TracingConfigError(`OTEL_TRACES_SAMPLER: "${sampler}" is not one of ${SAMPLERS.join(', ')}`);
  const arg = set(env.OTEL_TRACES_SAMPLER_ARG);
  if (arg !== undefined && sampler?.endsWith('traceidratio')) {
    const ratio = Number(arg);
    if (!(ratio >= 0 && ratio <= 1))
      throw new TracingConfigError(`OTEL_TRACES_SAMPLER_ARG: "${arg}" is not a ratio between 0 and 1`);
  }
}

export function tracingSettings(env: NodeJS.ProcessEnv): TracingSettings {
  if (set(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true')
    return { on: false, reason: 'OTEL_SDK_DISABLED=true' };
  const listed = (set(env.OTEL_TRACES_EXPORTER) ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const name of listed)
    if (!EXPORTERS.includes(name))
      throw new TracingConfigError(
        `OTEL_TRACES_EXPORTER: "${name}" is not supported (otlp, console or none)`,
      );
  if (listed.includes('none')) return { on: false, reason: 'OTEL_TRACES_EXPORTER=none' };
  const endpoint = set(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ?? set(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (listed.length === 0 && !endpoint)
    return { on: false, reason: 'neither OTEL_EXPORTER_OTLP_ENDPOINT nor OTEL_TRACES_EXPORTER is set' };
  const protocolVar = set(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL)
    ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL'
    : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = set(env[protocolVar]) ?? 'http/protobuf';
  if (!PROTOCOLS.includes(protocol))
    throw new TracingConfigError(
      `${protocolVar}: "${protocol}" is not supported (http/protobuf or http/json, port 4318)`,
    );
  checkSampler(env);
  for (const name of BATCH_NUMBERS) {
    const v = set(env[name]);
    if (v !== undefined && !(Number(v) > 0))
      throw new TracingConfigError(`${name}: "${v}" is not a positive number`);
  }
  return {
    on: true,
    exporters: (listed.length > 0 ? listed : ['otlp']) as TraceExporterName[],
    protocol: protocol as OtlpProtocol,
    endpoint,
  };
}
