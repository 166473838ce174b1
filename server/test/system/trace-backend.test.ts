// The trace backend, checked where it cannot run: no Jaeger (nor Tempo, nor an OpenTelemetry
// Collector) binary comes from Debian or the npm registry, and no Docker engine or image registry is
// reachable. So its configuration is checked as far as this machine allows: Jaeger's config
// (deploy/jaeger/config.yaml) is a whole Collector config that takes OTLP; Compose and the rendered
// Kubernetes manifests run it and point the server and the worker at its OTLP/HTTP port; Grafana has
// it as a data source, the Prometheus data source links exemplars to it by uid, and the dashboard's
// latency panel asks for exemplars. What can run here does: this machine's Prometheus, with Compose's
// flags, keeps a latency exemplar's trace id under the label Grafana links.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Histogram, type OpenMetricsContentType, Registry } from 'prom-client';
import { parse, parseAllDocuments } from 'yaml';
import { eventually } from '../kit/eventually.js';
import { freePort } from '../kit/process.js';
import { tool } from '../kit/tools.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const kubectl = tool('kubectl', ['/usr/bin/kubectl', '/usr/local/bin/kubectl']);
const prometheus = tool(
  'prometheus',
  ['/usr/bin/prometheus', '/usr/local/bin/prometheus'],
  'apt-get install prometheus',
);
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Where the processes send traces, and what they are called there. */
const TRACED = { server: 'profile-server', worker: 'profile-worker' } as const;
const BACKEND = 'jaeger';

type Components = Record<string, Record<string, unknown> | null>;
type CollectorConfig = {
  service: { extensions?: string[]; pipelines: Record<string, Record<string, string[] | undefined>> };
  receivers: Components;
  processors?: Components;
  exporters: Components;
  connectors?: Components;
  extensions?: Components;
};
type Endpoint = { endpoint?: string } | null | undefined;

const jaegerConfigText = read('deploy/jaeger/config.yaml');
const jaegerConfig = parse(jaegerConfigText) as CollectorConfig;

/** The port of an `host:port` listen address. */
const portOf = (address: string | undefined): number => Number(address?.split(':').at(-1));

/** The ports Jaeger's config listens on, by what they are for. */
function listenPorts(config: CollectorConfig) {
  const otlp = config.receivers.otlp as { protocols: { grpc?: Endpoint; http?: Endpoint } };
  const ext = config.extensions ?? {};
  const query = ext.jaeger_query as { http?: Endpoint };
  const health = ext.healthcheckv2 as { http?: Endpoint };
  return {
    otlpGrpc: portOf(otlp.protocols.grpc?.endpoint),
    otlpHttp: portOf(otlp.protocols.http?.endpoint),
    ui: portOf(query.http?.endpoint),
    health: portOf(health.http?.endpoint),
    addresses: [otlp.protocols.grpc, otlp.protocols.http, query.http, health.http].map((e) => e?.endpoint),
  };
}

/**
 * The OpenTelemetry SDK's own variables (its specification's names) that a deployment may set: the
 * config's checks leave OTEL_* to these, so a misspelt one, which the SDK would silently ignore, fails.
 */
const OTEL_VARIABLES = new Set([
  'OTEL_SDK_DISABLED',
  'OTEL_SERVICE_NAME',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_LOG_LEVEL',
  'OTEL_PROPAGATORS',
  'OTEL_TRACES_EXPORTER',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TIMEOUT',
  'OTEL_BSP_SCHEDULE_DELAY',
  'OTEL_BSP_MAX_QUEUE_SIZE',
  'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
  'OTEL_BSP_EXPORT_TIMEOUT',
]);

/** The OTel SDK variables a traced process must have, checked against where the backend listens. */
function assertExports(owner: string, env: Record<string, string | undefined>, serviceName: string) {
  for (const name of Object.keys(env))
    if (name.startsWith('OTEL_'))
      assert.ok(
        OTEL_VARIABLES.has(name),
        `${owner} sets ${name}, which is not an OpenTelemetry SDK variable`,
      );
  assert.equal(env.OTEL_SERVICE_NAME, serviceName, `${owner}: OTEL_SERVICE_NAME`);
  assert.equal(env.OTEL_EXPORTER_OTLP_PROTOCOL, 'http/protobuf', `${owner}: OTEL_EXPORTER_OTLP_PROTOCOL`);
  const url = new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'missing:');
  assert.equal(url.protocol, 'http:', `${owner}: OTEL_EXPORTER_OTLP_ENDPOINT is http`);
  assert.equal(url.hostname, BACKEND, `${owner}: OTEL_EXPORTER_OTLP_ENDPOINT names the backend`);
  assert.equal(Number(url.port), listenPorts(jaegerConfig).otlpHttp, `${owner}: the OTLP/HTTP port`);
  // The SDK appends /v1/traces to a base endpoint: a path here would be sent to as given.
  assert.equal(url.pathname, '/', `${owner}: a base endpoint, no path`);
  assert.equal(env.OTEL_TRACES_SAMPLER, 'parentbased_traceidratio', `${owner}: OTEL_TRACES_SAMPLER`);
  const ratio = Number(env.OTEL_TRACES_SAMPLER_ARG);
  assert.ok(ratio > 0 && ratio <= 1, `${owner}: OTEL_TRACES_SAMPLER_ARG is a ratio in (0, 1]`);
}

describe('Jaeger v2 config (deploy/jaeger/config.yaml)', () => {
  it('is a whole Collector config: every component a pipeline or the service names is defined', () => {
    const sections = {
      receivers: jaegerConfig.receivers,
      processors: jaegerConfig.processors ?? {},
      exporters: jaegerConfig.exporters,
    };
    const traces = jaegerConfig.service.pipelines.traces;
    assert.ok(traces, 'a traces pipeline');
    for (const [name, pipeline] of Object.entries(jaegerConfig.service.pipelines)) {
      assert.ok(pipeline.receivers?.length && pipeline.exporters?.length, `${name}: receivers and exporters`);
      for (const [kind, defined] of Object.entries(sections))
        for (const id of pipeline[kind] ?? [])
          assert.ok(id in defined, `pipeline ${name} names ${kind} ${id}, which is not defined`);
    }
    for (const id of jaegerConfig.service.extensions ?? [])
      assert.ok(id in (jaegerConfig.extensions ?? {}), `service names extension ${id}, which is not defined`);
    for (const [kind, defined] of Object.entries({ ...sections, extensions: jaegerConfig.extensions ?? {} }))
      for (const id of Object.keys(defined)) {
        const used =
          kind === 'extensions'
            ? jaegerConfig.service.extensions?.includes(id)
            : Object.values(jaegerConfig.service.pipelines).some((p) => p[kind]?.includes(id));
        assert.ok(used, `${kind} ${id} is defined but used nowhere`);
      }
    assert.deepEqual(traces.receivers, ['otlp']);
    assert.deepEqual(traces.exporters, ['jaeger_storage_exporter']);
  });

  it('takes OTLP on 4317 (gRPC) and 4318 (HTTP), serves the UI on 16686 and health on 13133, on all interfaces', () => {
    const ports = listenPorts(jaegerConfig);
    assert.deepEqual(
      { otlpGrpc: ports.otlpGrpc, otlpHttp: ports.otlpHttp, ui: ports.ui, health: ports.health },
      { otlpGrpc: 4317, otlpHttp: 4318, ui: 16686, health: 13133 },
    );
    // In a container, localhost would be unreachable from the other containers.
    for (const address of ports.addresses) assert.match(address ?? '', /^0\.0\.0\.0:\d+$/);
  });

  it('the exporter writes to, and the query reads from, a storage backend that is defined', () => {
    const ext = jaegerConfig.extensions ?? {};
    const backends = (ext.jaeger_storage as { backends: Record<string, Record<string, unknown>> }).backends;
    const exporter = jaegerConfig.exporters.jaeger_storage_exporter as { trace_storage: string };
    const query = ext.jaeger_query as { storage: { traces: string } };
    assert.ok(exporter.trace_storage in backends, `the exporter's trace_storage ${exporter.trace_storage}`);
    assert.equal(query.storage.traces, exporter.trace_storage, 'the UI reads what the exporter writes');
    const memory = backends[exporter.trace_storage]?.memory as { max_traces?: number } | undefined;
    if (memory) assert.ok((memory.max_traces ?? 0) > 0, 'memory storage is bounded (max_traces)');
  });
});

describe('docker-compose.yml runs the trace backend', () => {
  type Service = {
    image?: string;
    command?: string[];
    ports?: string[];
    volumes?: string[];
    environment?: Record<string, string>;
    depends_on?: Record<string, unknown> | string[];
  };
  const compose = parseAllDocuments(read('docker-compose.yml'))[0]?.toJS() as {
    services: Record<string, Service>;
  };
  const service = (name: string) => {
    const s = compose.services[name];
    assert.ok(s, `service ${name}`);
    return s;
  };

  it('a Jaeger v2 service with its config mounted and the OTLP and UI ports', () => {
    const jaeger = service(BACKEND);
    assert.match(jaeger.image ?? '', /^jaegertracing\/jaeger:2\.\d+\.\d+$/, 'a pinned Jaeger v2 image');
    const configPath = jaeger.command?.[jaeger.command.indexOf('--config') + 1];
    assert.ok(configPath, '--config <path>');
    assert.ok(
      jaeger.volumes?.includes(`./deploy/jaeger/config.yaml:${configPath}:ro`),
      'deploy/jaeger/config.yaml is mounted where --config reads it',
    );
    const published = new Set(jaeger.ports?.map((p) => Number(String(p).split(':').at(-1))));
    const ports = listenPorts(jaegerConfig);
    for (const port of [ports.otlpGrpc, ports.otlpHttp, ports.ui])
      assert.ok(published.has(port), `port ${port}`);
  });

  for (const [name, serviceName] of Object.entries(TRACED)) {
    it(`${name}: exports to it (OTEL_* variables) and starts after it`, () => {
      const s = service(name);
      assertExports(name, s.environment ?? {}, serviceName);
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      assert.ok(deps.includes(BACKEND), `${name} depends on ${BACKEND}`);
    });
  }

  it("the server's and the worker's variables are the other app containers' plus OTEL_* only", () => {
    // Written out in full (no `<<:` merge): kept from drifting apart here.
    const base = service('migrate').environment;
    for (const name of Object.keys(TRACED)) {
      const own = Object.entries(service(name).environment ?? {}).filter(([k]) => !k.startsWith('OTEL_'));
      assert.deepEqual(Object.fromEntries(own), base, `${name}: as migrate's, but for OTEL_*`);
    }
  });

  it('Prometheus keeps exemplars; Grafana is given the data sources', () => {
    assert.ok(service('prometheus').command?.includes('--enable-feature=exemplar-storage'));
    assert.ok(
      service('grafana').volumes?.some((v) => v.startsWith('./deploy/grafana/datasource.yml:')),
      'datasource.yml is mounted',
    );
  });
});

describe('Kubernetes manifests (k8s/simple) run the trace backend', { skip: kubectl.skip }, () => {
  type Container = {
    name: string;
    image: string;
    args?: string[];
    ports?: { name: string; containerPort: number }[];
    env?: { name: string; value?: string }[];
    volumeMounts?: { name: string; mountPath: string }[];
    readinessProbe?: { httpGet?: { path: string; port: string | number } };
  };
  type K8sObject = {
    kind: string;
    metadata: { name: string };
    data?: Record<string, string>;
    spec: {
      ports?: { name: string; port: number; targetPort?: string | number; nodePort?: number }[];
      template?: {
        spec: { containers: Container[]; volumes?: { name: string; configMap?: { name: string } }[] };
      };
    };
  };
  let objects: K8sObject[];
  const find = (kind: string, name: string) => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    assert.ok(o, `${kind}/${name} is rendered`);
    return o;
  };
  const container = (o: K8sObject) => {
    const c = o.spec.template?.spec.containers[0];
    assert.ok(c, `${o.metadata.name} has a container`);
    return c;
  };

  before(() => {
    const rendered = execFileSync(kubectl.path as string, ['kustomize', join(ROOT, 'k8s/simple')], {
      encoding: 'utf8',
    });
    objects = parseAllDocuments(rendered).map((d) => d.toJS() as K8sObject);
  });

  it('a Jaeger v2 Deployment with the config from deploy/, its health probed', () => {
    const deployment = find('Deployment', BACKEND);
    const c = container(deployment);
    assert.match(c.image, /^jaegertracing\/jaeger:2\.\d+\.\d+$/);
    const configPath = c.args?.[c.args.indexOf('--config') + 1] ?? '';
    const configMap = find('ConfigMap', 'jaeger-config');
    const [file, text] = Object.entries(configMap.data ?? {})[0] ?? [];
    assert.equal(text, jaegerConfigText, 'the ConfigMap holds deploy/jaeger/config.yaml');
    const volume = deployment.spec.template?.spec.volumes?.find((v) => v.configMap?.name === 'jaeger-config');
    const mount = c.volumeMounts?.find((m) => m.name === volume?.name);
    assert.equal(`${mount?.mountPath}/${file}`, configPath, '--config reads the mounted file');
    const ports = listenPorts(jaegerConfig);
    const containerPort = (name: string | number | undefined) =>
      typeof name === 'number' ? name : c.ports?.find((p) => p.name === name)?.containerPort;
    assert.equal(
      containerPort(c.readinessProbe?.httpGet?.port),
      ports.health,
      'readiness on the health port',
    );
    assert.equal(c.readinessProbe?.httpGet?.path, '/status', 'healthcheckv2 answers on /status');
    assert.deepEqual(
      new Set(c.ports?.map((p) => p.containerPort)),
      new Set([ports.otlpGrpc, ports.otlpHttp, ports.ui, ports.health]),
    );
  });

  it('a Service for OTLP (4317, 4318) and the UI (16686), which Kind maps to the host', () => {
    const service = find('Service', BACKEND);
    const c = container(find('Deployment', BACKEND));
    const ports = listenPorts(jaegerConfig);
    const byPort = new Map(service.spec.ports?.map((p) => [p.port, p]));
    for (const port of [ports.otlpGrpc, ports.otlpHttp, ports.ui]) {
      const p = byPort.get(port);
      assert.ok(p, `the Service has port ${port}`);
      const target = c.ports?.find((cp) => cp.name === p.targetPort || cp.containerPort === p.targetPort);
      assert.equal(target?.containerPort, port, `port ${port} reaches the container's ${port}`);
    }
    const ui = byPort.get(ports.ui)?.nodePort;
    assert.ok(ui, 'the UI has a NodePort');
    assert.match(read('k8s/simple/kind-config.yaml'), new RegExp(`containerPort: ${ui}, hostPort: \\d+`));
  });

  for (const [name, serviceName] of Object.entries(TRACED)) {
    it(`${name}: exports to it (OTEL_* variables)`, () => {
      const env = Object.fromEntries(
        (container(find('Deployment', name)).env ?? []).map((e) => [e.name, e.value]),
      );
      assertExports(`Deployment/${name}`, env, serviceName);
    });
  }

  it("Prometheus keeps exemplars; Grafana's data sources are datasource.yml", () => {
    assert.ok(
      container(find('Deployment', 'prometheus')).args?.includes('--enable-feature=exemplar-storage'),
    );
    assert.equal(
      find('ConfigMap', 'grafana-provisioning-datasources').data?.['datasource.yml'],
      read('deploy/grafana/datasource.yml'),
    );
  });
});

describe('Grafana: the trace data source, exemplars linked to it', () => {
  type DataSource = {
    name: string;
    uid: string;
    type: string;
    url: string;
    jsonData?: { exemplarTraceIdDestinations?: { name: string; datasourceUid?: string; url?: string }[] };
  };
  const { datasources } = parse(read('deploy/grafana/datasource.yml')) as { datasources: DataSource[] };
  const trace = datasources.find((d) => d.type === 'jaeger');
  const prometheus = datasources.find((d) => d.type === 'prometheus');

  it('Jaeger is a data source, at the query port of the backend Compose and Kubernetes run', () => {
    assert.ok(trace, 'a jaeger data source');
    assert.ok(trace.uid, 'with a uid to link to');
    const url = new URL(trace.url);
    assert.equal(url.hostname, BACKEND);
    assert.equal(Number(url.port), listenPorts(jaegerConfig).ui);
  });

  it("the Prometheus data source turns an exemplar's trace id into a link to that data source", () => {
    assert.ok(prometheus && trace);
    const destinations = prometheus.jsonData?.exemplarTraceIdDestinations ?? [];
    assert.ok(destinations.length > 0, 'exemplarTraceIdDestinations');
    for (const d of destinations) {
      assert.equal(d.datasourceUid, trace.uid, `exemplar label ${d.name} links to the trace data source`);
      assert.equal(d.url, undefined, 'an internal link (by uid), not a URL');
    }
    // The label the server puts on its exemplars, wherever the source names one, must be linked.
    const labels = new Set<string>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts'))
          for (const m of readFileSync(path, 'utf8').matchAll(
            /exemplarLabels(?:\s*:\s*[^={;]+)?\s*[:=]\s*\{\s*['"]?(\w+)/g,
          ))
            labels.add(m[1] as string);
      }
    };
    walk(join(ROOT, 'server/src'));
    const names = new Set(destinations.map((d) => d.name));
    for (const label of labels) assert.ok(names.has(label), `the server's exemplar label ${label} is linked`);
  });

  it("the dashboard's HTTP latency panel queries Prometheus with exemplars on", () => {
    type Target = { refId: string; expr: string; exemplar?: boolean };
    type Panel = { title: string; datasource?: { type: string; uid: string }; targets?: Target[] };
    const dashboard = JSON.parse(read('deploy/grafana/dashboard.json')) as { panels: Panel[] };
    const latency = dashboard.panels.filter((p) =>
      p.targets?.some((t) => t.expr.includes('http_request_duration_seconds_bucket')),
    );
    assert.ok(latency.length > 0, 'a panel over http_request_duration_seconds_bucket');
    for (const panel of latency) {
      assert.equal(panel.datasource?.uid, prometheus?.uid, `${panel.title}: on the Prometheus data source`);
      const withExemplars = panel.targets?.filter((t) => t.exemplar === true) ?? [];
      assert.ok(withExemplars.length > 0, `${panel.title}: a query with exemplars on`);
      for (const t of withExemplars) assert.match(t.expr, /http_request_duration_seconds_bucket/);
    }
  });
});

describe('Prometheus, as Compose runs it, keeps the trace id of a latency exemplar', {
  skip: prometheus.skip,
}, () => {
  // A target like the server: prom-client's histogram with an exemplar, served as OpenMetrics (the
  // only format that carries exemplars), scraped by this machine's Prometheus with Compose's flags.
  let dir: string;
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const histogram = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.05, 0.5, 2.5],
    enableExemplars: true,
    registers: [registry],
  });
  const target = createServer(async (_req, res) => {
    res.setHeader('content-type', registry.contentType);
    res.end(await registry.metrics());
  });
  let prom: ReturnType<typeof spawn> | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'exemplars-'));
  });
  after(() => {
    prom?.kill('SIGKILL');
    target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a slow request's trace id, under the label Grafana links to Jaeger, is queryable as an exemplar", async () => {
    // The label Grafana's Prometheus data source links to the trace data source.
    const { datasources } = parse(read('deploy/grafana/datasource.yml')) as {
      datasources: { type: string; jsonData?: { exemplarTraceIdDestinations?: { name: string }[] } }[];
    };
    const label = datasources.find((d) => d.type === 'prometheus')?.jsonData?.exemplarTraceIdDestinations?.[0]
      ?.name as string;
    assert.ok(label, 'an exemplar label linked to traces');
    const traceId = randomBytes(16).toString('hex');
    histogram.observe({
      labels: { method: 'GET', route: '/api/v1/profiles', status_code: '200' },
      value: 1.7,
      exemplarLabels: { [label]: traceId },
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as AddressInfo).port;
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: profile-server\n    static_configs: [{ targets: ['127.0.0.1:${targetPort}'] }]\n`,
    );
    const compose = parseAllDocuments(read('docker-compose.yml'))[0]?.toJS() as {
      services: { prometheus: { command: string[] } };
    };
    const features = compose.services.prometheus.command.filter((a) => a.startsWith('--enable-feature='));
    const port = await freePort();
    let output = '';
    prom = spawn(
      prometheus.path as string,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        ...features,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prom.stdout?.on('data', (d: Buffer) => {
      output += d;
    });
    prom.stderr?.on('data', (d: Buffer) => {
      output += d;
    });
    const start = Math.floor(Date.now() / 1000) - 60;
    type Exemplars = {
      data: {
        seriesLabels: Record<string, string>;
        exemplars: { labels: Record<string, string>; value: string }[];
      }[];
    };
    const found = await eventually(
      'Prometheus returns the exemplar',
      async () => {
        const query = new URLSearchParams({
          query: 'http_request_duration_seconds_bucket{job="profile-server"}',
          start: String(start),
          end: String(Math.floor(Date.now() / 1000) + 60),
        });
        const res = await fetch(`http://127.0.0.1:${port}/api/v1/query_exemplars?${query}`);
        const body = (await res.json()) as Exemplars;
        return body.data.flatMap((s) => s.exemplars.map((e) => ({ le: s.seriesLabels.le, ...e })));
      },
      {
        until: (e) => e.length > 0,
        timeoutMs: 30_000,
        intervalMs: 250,
        stopIf: () => (prom?.exitCode != null ? `prometheus exited: ${output.slice(-2000)}` : false),
      },
    );
    assert.equal(found[0]?.labels[label], traceId, `the exemplar carries the trace id as ${label}`);
    assert.equal(found[0]?.le, '2.5', 'on the bucket the slow request landed in');
    assert.equal(Number(found[0]?.value), 1.7);
  });
});
