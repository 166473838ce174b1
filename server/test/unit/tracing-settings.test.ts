import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TracingConfigError, tracingSettings } from '../../src/telemetry/tracing-settings.js';

describe('tracing settings from the OTEL_* variables', () => {
  it('is off with no OTLP endpoint and no OTEL_TRACES_EXPORTER', () => {
    assert.equal(tracingSettings({}).on, false);
    assert.equal(tracingSettings({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on' }).on, false);
  });

  it('is on with an endpoint, over http/protobuf unless told otherwise', () => {
    assert.deepEqual(tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' }), {
      on: true,
      exporters: ['otlp'],
      protocol: 'http/protobuf',
      endpoint: 'http://jaeger:4318',
    });
    const json = tracingSettings({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    });
    assert.equal(json.on && json.protocol, 'http/json', 'the traces-specific variable wins');
  });

  it('is on with an exporter named, and off with none or the SDK disabled', () => {
    assert.deepEqual(tracingSettings({ OTEL_TRACES_EXPORTER: 'console' }).on && ['console'], ['console']);
    assert.equal(
      tracingSettings({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' }).on,
      false,
    );
    assert.equal(
      tracingSettings({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' }).on,
      false,
    );
  });

  it('refuses what it cannot do, naming the variable', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' };
    assert.throws(() => tracingSettings({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }), {
      name: 'Error',
      message: /^OTEL_EXPORTER_OTLP_PROTOCOL: "grpc"/,
    });
    assert.throws(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'zipkin' }), TracingConfigError);
    assert.throws(
      () => tracingSettings({ ...endpoint, OTEL_BSP_SCHEDULE_DELAY: 'soon' }),
      /OTEL_BSP_SCHEDULE_DELAY/,
    );
  });
});
