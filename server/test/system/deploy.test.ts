// The deployment files, checked where there is no cluster or Docker engine: the Kubernetes manifests
// render and validate against the Kubernetes schemas, say only what the config reads (and all it
// requires), and agree with the code on ports and probe paths; Prometheus' configs and rules pass
// promtool; both nginx configs pass `nginx -t`; the Dockerfiles keep their promises.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';
import { startTestApp, type TestApp } from '../kit/app.js';
import { tool } from '../kit/tools.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const kubectl = tool('kubectl', ['/usr/bin/kubectl', '/usr/local/bin/kubectl']);
const promtool = tool(
  'promtool',
  ['/usr/bin/promtool', '/usr/local/bin/promtool'],
  'apt-get install prometheus',
);
const nginx = tool('nginx', ['/usr/sbin/nginx', '/usr/bin/nginx']);

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: unknown };
/** The parts of workload and Service specs these checks read. */
type Spec = {
  replicas?: number;
  template?: { spec: { containers: Container[] } };
  ports: { port: number; nodePort?: number }[];
};
type Container = {
  name: string;
  image: string;
  command?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  resources?: unknown;
  lifecycle?: { preStop?: unknown };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
};

/** The variables the config reads, from its own declaration. */
const configVariables = (): Set<string> => new Set(CONFIG_VARIABLES);
/**
 * A variable the service reads: one its config declares, or a standard OTEL_* one, which the
 * OpenTelemetry SDK reads itself (test/system/trace-backend.test.ts checks those names).
 */
const isRead = (known: Set<string>, name: string) => known.has(name) || name.startsWith('OTEL_');

describe('Kubernetes manifests (k8s/simple)', { skip: kubectl.skip }, () => {
  let objects: K8sObject[];
  const find = (kind: string, name: string) => {
    const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
    assert.ok(o, `${kind}/${name} is rendered`);
    return o as K8sObject & {
      spec: Spec;
      data?: Record<string, string>;
      stringData?: Record<string, string>;
    };
  };
  const containersOf = (o: { spec: Spec }): Container[] => o.spec.template?.spec.containers ?? [];

  before(() => {
    const rendered = execFileSync(kubectl.path as string, ['kustomize', join(ROOT, 'k8s/simple')], {
      encoding: 'utf8',
    });
    objects = parseAllDocuments(rendered).map((d) => d.toJS() as K8sObject);
  });

  it('kubectl kustomize renders every part of the deployment', () => {
    const have = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
    for (const want of [
      'Namespace/profile-service',
      'ConfigMap/profile-config',
      'Secret/profile-secrets',
      'StatefulSet/postgres',
      'Deployment/redis',
      'StatefulSet/rabbitmq',
      'Deployment/server',
      'Deployment/worker',
      'Deployment/client',
      'Deployment/nginx',
      'Job/migrate',
      'HorizontalPodAutoscaler/server',
      'HorizontalPodAutoscaler/worker',
      'PodDisruptionBudget/server',
      'PodDisruptionBudget/worker',
      'Deployment/prometheus',
      'Deployment/grafana',
      'ConfigMap/prometheus-config',
      'ConfigMap/grafana-dashboards',
    ]) {
      assert.ok(have.has(want), `${want} is rendered`);
    }
    for (const o of objects) {
      if (o.kind !== 'Namespace')
        assert.equal(
          (o.metadata as { namespace?: string }).namespace,
          'profile-service',
          `${o.kind}/${o.metadata.name}`,
        );
    }
  });

  it('every object validates against the Kubernetes schemas (kubernetes-models)', async () => {
    for (const o of objects) {
      const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      const path = `kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`;
      const Model = (await import(path))[o.kind] as new (o: unknown) => { validate(): void };
      assert.doesNotThrow(() => new Model(o).validate(), `${o.kind}/${o.metadata.name} is valid`);
    }
  });

  it('the server: 3 replicas, probes on /health and /health/ready, 200m/256Mi to 500m/512Mi, a preStop drain', () => {
    const server = find('Deployment', 'server');
    assert.equal(server.spec.replicas, 3);
    const [c] = containersOf(server) as [Container];
    assert.equal(c.livenessProbe?.httpGet?.path, '/health');
    assert.equal(c.readinessProbe?.httpGet?.path, '/health/ready');
    assert.deepEqual(c.resources, {
      requests: { cpu: '200m', memory: '256Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    });
    assert.ok(c.lifecycle?.preStop, 'preStop');
    const worker = find('Deployment', 'worker');
    const [w] = containersOf(worker) as [Container];
    assert.deepEqual(
      w.ports?.map((p) => p.containerPort),
      [8081],
    );
    assert.equal(w.readinessProbe?.httpGet?.path, '/health/ready');
  });

  it('sets only variables the config reads, and everything each entry point requires', () => {
    const known = configVariables();
    const configMap = find('ConfigMap', 'profile-config').data as Record<string, string>;
    const secret = find('Secret', 'profile-secrets').stringData as Record<string, string>;
    for (const name of Object.keys(configMap))
      assert.ok(isRead(known, name), `ConfigMap sets ${name}, which the config does not read`);
    const ours = objects
      .filter((o) => ['Deployment', 'Job'].includes(o.kind))
      .flatMap((o) =>
        containersOf(o as K8sObject & { spec: Spec }).map((c) => ({
          owner: `${o.kind}/${o.metadata.name}`,
          c,
        })),
      )
      .filter(({ c }) => c.image.startsWith('profile-service/server'));
    assert.deepEqual(ours.map((x) => x.owner).sort(), [
      'Deployment/issuer',
      'Deployment/server',
      'Deployment/worker',
      'Job/migrate',
    ]);
    for (const { owner, c } of ours) {
      const env: Record<string, string> = {};
      for (const from of c.envFrom ?? []) {
        assert.equal(from.configMapRef?.name, 'profile-config');
        Object.assign(env, configMap);
      }
      for (const e of c.env ?? []) {
        assert.ok(isRead(known, e.name), `${owner} sets ${e.name}, which the config does not read`);
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          assert.equal(ref.name, 'profile-secrets');
          assert.ok(ref.key in secret, `${owner}: the Secret has ${ref.key}`);
          env[e.name] = secret[ref.key] as string;
        } else env[e.name] = e.value ?? '';
      }
      // The config these variables make must load, as the process would at start.
      const config = loadConfig(env);
      const entry = c.command?.at(-1) ?? '';
      if (entry.endsWith('issuer.js')) {
        assert.ok(config.auth.issuer, `${owner}: AUTH_ISSUER, the URL it is reached at`);
        continue;
      }
      assert.ok(config.dbUri, `${owner}: DB_URI (required by ${entry})`);
      if (entry.endsWith('worker.js'))
        assert.ok(config.queueUri, `${owner}: QUEUE_URI (required by the worker)`);
      if (entry.endsWith('server.js')) {
        assert.equal(
          c.ports?.[0]?.containerPort,
          config.serverPort,
          `${owner}: the container port is SERVER_PORT`,
        );
        assert.ok(config.s3?.credentials, `${owner}: S3 credentials for the shared object storage`);
        assert.ok(config.auth.issuer, `${owner}: AUTH_ISSUER (required by the server)`);
      }
      if (entry.endsWith('worker.js')) assert.equal(c.ports?.[0]?.containerPort, config.workerPort);
    }
  });

  describe('probe paths answer as the probes expect', () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp();
    });
    after(() => t?.close());
    it('liveness and readiness paths of the server exist and answer 200', async () => {
      const [c] = containersOf(find('Deployment', 'server')) as [Container];
      for (const probe of [c.livenessProbe, c.readinessProbe]) {
        const res = await t.app.inject({ method: 'GET', url: probe?.httpGet?.path as string });
        assert.equal(res.statusCode, 200, `${probe?.httpGet?.path}: ${res.body}`);
      }
    });
  });

  it('Services and nginx point at the ports the pods listen on', () => {
    const serverPort = Number(find('ConfigMap', 'profile-config').data?.SERVER_PORT);
    assert.equal(find('Service', 'server').spec.ports[0]?.port, serverPort);
    const nginxConf = readFileSync(join(ROOT, 'deploy/nginx/edge.conf'), 'utf8');
    assert.match(nginxConf, new RegExp(`server server:${serverPort}\\b`));
    assert.equal(find('Service', 'nginx').spec.ports[0]?.nodePort, 30080);
    const kind = readFileSync(join(ROOT, 'k8s/simple/kind-config.yaml'), 'utf8');
    for (const port of ['30080', '30081', '3000']) assert.match(kind, new RegExp(`hostPort: ${port}\\b`));
  });
});

describe('Prometheus configs and rules (promtool)', { skip: promtool.skip }, () => {
  for (const config of ['prometheus.yml', 'compose.yml', 'local-cluster.yml']) {
    it(`promtool check config ${config}`, () => {
      execFileSync(promtool.path as string, ['check', 'config', config], {
        cwd: join(ROOT, 'deploy/prometheus'),
      });
    });
  }
  it('promtool check rules alerts.yml', () => {
    const out = execFileSync(promtool.path as string, ['check', 'rules', 'alerts.yml'], {
      cwd: join(ROOT, 'deploy/prometheus'),
      encoding: 'utf8',
    });
    assert.match(out, /SUCCESS: \d+ rules found/);
  });
});

describe('nginx configs (nginx -t)', { skip: nginx.skip }, () => {
  let prefix: string;
  before(() => {
    prefix = mkdtempSync(join(tmpdir(), 'nginx-t-'));
  });
  after(() => rmSync(prefix, { recursive: true, force: true }));
  const check = (conf: string) =>
    execFileSync(nginx.path as string, ['-t', '-q', '-e', 'stderr', '-p', prefix, '-c', conf], {
      encoding: 'utf8',
      stdio: 'pipe',
    });

  it('the local cluster edge (deploy/nginx/local-cluster.conf)', () => {
    for (const dir of ['logs', 'tmp', 'cache']) execFileSync('mkdir', ['-p', join(prefix, dir)]);
    check(join(ROOT, 'deploy/nginx/local-cluster.conf'));
  });

  it('the Kubernetes and Compose edge (deploy/nginx/edge.conf), its service names standing in for this host', () => {
    // nginx -t resolves upstream names: here, the cluster's Services are not in DNS.
    const conf = readFileSync(join(ROOT, 'deploy/nginx/edge.conf'), 'utf8')
      .replace(/server server:/g, 'server 127.0.0.1:')
      .replace(/server client:/g, 'server 127.0.0.1:')
      .replaceAll('/tmp/', `${prefix}/`)
      // The container logs to its stdout and stderr; a test's nginx has none to open.
      .replaceAll('/dev/stderr', `${prefix}/error.log`)
      .replaceAll('/dev/stdout', `${prefix}/access.log`);
    // A prefix of its own, empty like the pod's /tmp volume: nothing another check made may help.
    const own = mkdtempSync(join(prefix, 'k8s-'));
    const file = join(own, 'nginx.conf');
    writeFileSync(file, conf.replaceAll(`${prefix}/`, `${own}/`));
    check(file);
  });
});

describe('docker-compose.yml', () => {
  it('gives the app only variables the config reads, enough for the server and the worker to start', () => {
    const compose = parseAllDocuments(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'))[0]?.toJS() as {
      services: Record<string, { image?: string; command?: string[]; environment?: Record<string, string> }>;
    };
    const known = configVariables();
    const app = Object.entries(compose.services).filter(([, svc]) =>
      svc.image?.startsWith('profile-service/server'),
    );
    assert.deepEqual(app.map(([name]) => name).sort(), ['issuer', 'migrate', 'server', 'worker']);
    for (const [name, svc] of app) {
      const env = svc.environment ?? {};
      for (const key of Object.keys(env))
        assert.ok(isRead(known, key), `${name} sets ${key}, which the config does not read`);
      const config = loadConfig(env);
      assert.ok(config.auth.issuer, `${name}: AUTH_ISSUER`);
      if (name === 'issuer') continue;
      assert.ok(config.dbUri && config.queueUri && config.redis && config.s3?.credentials, name);
    }
    assert.equal(compose.services.client?.image, 'profile-service/client:dev');
  });
});

describe('Dockerfiles', () => {
  for (const file of ['server/Dockerfile', 'client/Dockerfile']) {
    it(`${file}: multi-stage, non-root, production dependencies only, a HEALTHCHECK`, () => {
      const text = readFileSync(join(ROOT, file), 'utf8');
      assert.ok((text.match(/^FROM /gm) ?? []).length >= 2, 'multi-stage');
      assert.match(text, /^USER node$/m);
      assert.match(text, /^HEALTHCHECK /m);
      assert.match(text, file.startsWith('server') ? /--omit=dev/ : /standalone/);
    });
  }
  it('.dockerignore keeps local dependencies, builds and data out of the context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
    for (const entry of ['**/node_modules', '**/dist', '**/.next', 'data', '.git'])
      assert.ok(ignore.includes(entry), entry);
  });
});
