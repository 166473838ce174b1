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

const set = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

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
  for (const name of ['OTEL_BSP_SCHEDULE_DELAY', 'OTEL_TRACES_SAMPLER_ARG'] as const) {
    const v = set(env[name]);
    if (v !== undefined && !Number.isFinite(Number(v)))
      throw new TracingConfigError(`${name}: "${v}" is not a number`);
  }
  return {
    on: true,
    exporters: (listed.length > 0 ? listed : ['otlp']) as TraceExporterName[],
    protocol: protocol as OtlpProtocol,
    endpoint,
  };
}
