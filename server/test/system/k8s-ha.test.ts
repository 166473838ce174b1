// The high-availability overlay (k8s/ha), checked where there is no cluster: it renders; k8s/simple's
// one PostgreSQL is gone and a CloudNativePG Cluster stands in its place (3 instances, quorum
// synchronous replication); server, worker and the migration Job write through the Cluster's `-rw`
// Service and read through its `-ro` one, as the operator's app user; every object validates.
//
// What validates the Cluster: @kubernetes-models/cloudnative-pg, JSON schemas generated from the
// operator's Go API types (the ones its CRD is generated from). They check types, enums, required
// fields and bounds, but not unknown fields (which the API server would drop or refuse) nor the
// CRD's CEL rules and the operator's admission webhook: those need a cluster with the operator
// (`kubectl apply --dry-run=server -k k8s/ha`). The unknown fields are checked here against the
// package's type declarations.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Cluster } from '@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/Cluster';
import { parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';
import { tool } from '../kit/tools.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const kubectl = tool('kubectl', ['/usr/bin/kubectl', '/usr/local/bin/kubectl']);

type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: unknown;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
};
type EnvVar = {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
};
type Container = { name: string; image: string; command?: string[]; env?: EnvVar[]; envFrom?: unknown[] };
type ClusterSpec = {
  instances: number;
  postgresql?: { synchronous?: { method: string; number: number; dataDurability?: string } };
  bootstrap?: { initdb?: { database?: string; owner?: string; secret?: unknown } };
  storage?: { size?: string };
};

/** The keys CloudNativePG writes into a Cluster's app Secret, `<cluster>-app` (a basic-auth Secret). */
const APP_SECRET_KEYS = [
  'username',
  'user',
  'password',
  'dbname',
  'host',
  'port',
  'pgpass',
  'uri',
  'jdbc-uri',
];

const render = (dir: string): K8sObject[] =>
  parseAllDocuments(
    execFileSync(kubectl.path as string, ['kustomize', join(ROOT, dir)], { encoding: 'utf8' }),
  ).map((d) => d.toJS() as K8sObject);
const ids = (objects: K8sObject[]) => new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
const containersOf = (o: K8sObject): Container[] =>
  (o.spec as { template?: { spec: { containers: Container[] } } }).template?.spec.containers ?? [];

/**
 * The fields a CloudNativePG type declares (its .d.ts in the models package), each with the
 * declaration file of its own type when that is another of the package's.
 */
function declaredFields(file: string): Map<string, string | undefined> {
  const text = readFileSync(file, 'utf8');
  const imports = new Map(
    [...text.matchAll(/^import \{ (\w+) \} from "(\.[^"]+)\.js";$/gm)].map(
      (m) => [m[1] as string, resolve(dirname(file), `${m[2]}.d.ts`)] as const,
    ),
  );
  const start = text.indexOf('export interface ');
  assert.ok(start >= 0, `${file} declares an interface`);
  const body = text.slice(start, text.indexOf('\n}', start));
  const fields = new Map<string, string | undefined>();
  for (const m of body.matchAll(/^ {4}"([^"]+)"\??: (?:Array<)?(\w+)?/gm))
    fields.set(m[1] as string, m[2] ? imports.get(m[2]) : undefined);
  return fields;
}

/** The paths in `value` that its CloudNativePG type (declared in `file`) does not declare. */
function undeclared(value: unknown, file: string, path: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => undeclared(v, file, `${path}[${i}]`));
  if (typeof value !== 'object' || value === null) return [];
  const fields = declaredFields(file);
  return Object.entries(value).flatMap(([key, v]) => {
    if (!fields.has(key)) return [`${path}.${key}`];
    const next = fields.get(key);
    return next ? undeclared(v, next, `${path}.${key}`) : [];
  });
}
const CLUSTER_SPEC_DTS = fileURLToPath(
  import.meta.resolve('@kubernetes-models/cloudnative-pg/postgresql.cnpg.io/v1/ClusterSpec'),
).replace(/\.js$/, '.d.ts');

/** Kubernetes' $(VAR) expansion: only variables listed earlier expand; any other stays as written. */
const expand = (value: string, env: Record<string, string>) =>
  value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);

describe('Kubernetes high-availability overlay (k8s/ha, CloudNativePG)', { skip: kubectl.skip }, () => {
  let ha: K8sObject[];
  let simple: K8sObject[];
  let cluster: K8sObject & { spec: ClusterSpec };
  const find = (kind: string, name: string) => {
    const o = ha.find((x) => x.kind === kind && x.metadata.name === name);
    assert.ok(o, `${kind}/${name} is rendered`);
    return o;
  };

  before(() => {
    ha = render('k8s/ha');
    simple = render('k8s/simple');
    const clusters = ha.filter((o) => o.apiVersion === 'postgresql.cnpg.io/v1' && o.kind === 'Cluster');
    assert.equal(clusters.length, 1, 'one CloudNativePG Cluster');
    cluster = clusters[0] as K8sObject & { spec: ClusterSpec };
  });

  it("renders k8s/simple with its PostgreSQL StatefulSet and Service replaced by the Cluster, all in the app's namespace", () => {
    assert.ok(
      !ha.some((o) => o.kind === 'StatefulSet' && o.metadata.name === 'postgres'),
      'no postgres StatefulSet',
    );
    assert.ok(!ha.some((o) => o.kind === 'Service' && o.metadata.name === 'postgres'), 'no postgres Service');
    const expected = ids(simple);
    expected.delete('StatefulSet/postgres');
    expected.delete('Service/postgres');
    expected.add(`Cluster/${cluster.metadata.name}`);
    assert.deepEqual([...ids(ha)].sort(), [...expected].sort());
    for (const o of ha)
      if (o.kind !== 'Namespace')
        assert.equal(o.metadata.namespace, 'profile-service', `${o.kind}/${o.metadata.name}`);
    // Nothing still points at the old Service.
    assert.doesNotMatch(JSON.stringify(ha), /[@/]postgres:5432/);
  });

  it('the Cluster: 3 instances, quorum commit on one synchronous standby, the app database and owner', () => {
    const { spec } = cluster;
    assert.equal(spec.instances, 3);
    assert.deepEqual(spec.postgresql?.synchronous, { method: 'any', number: 1, dataDurability: 'required' });
    // Two standbys, one needed per commit: either may be lost with writes going on.
    assert.ok(
      (spec.postgresql?.synchronous?.number ?? 0) < spec.instances - 1,
      'fewer synchronous standbys required than there are standbys',
    );
    const dbName = find('ConfigMap', 'profile-config').data?.DB_NAME;
    assert.equal(spec.bootstrap?.initdb?.database, dbName, 'initdb makes the database DB_NAME names');
    assert.ok(spec.bootstrap?.initdb?.owner, 'and its owner, the app user');
    // No secret of ours: the operator generates the password into <cluster>-app.
    assert.equal(spec.bootstrap?.initdb?.secret, undefined);
    assert.ok(spec.storage?.size, 'a volume per instance');
  });

  it('the Cluster validates against the CloudNativePG API schema (@kubernetes-models/cloudnative-pg)', () => {
    assert.doesNotThrow(() => new Cluster(cluster as never).validate());
    // The schema does check: an unknown method or zero instances is refused.
    const broken = (spec: object) => () =>
      new Cluster({ ...cluster, spec: { ...cluster.spec, ...spec } } as never).validate();
    assert.throws(broken({ postgresql: { synchronous: { method: 'all', number: 1 } } }), /allowed values/);
    assert.throws(broken({ instances: 0 }), />= 1/);
  });

  it('the Cluster sets only fields the CloudNativePG API declares (the schema lets unknown ones by)', () => {
    assert.deepEqual(undeclared(cluster.spec, CLUSTER_SPEC_DTS, 'spec'), []);
    // The check finds a misspelt field, nested too.
    assert.deepEqual(
      undeclared({ instances: 3, postgresql: { synchronus: { method: 'any' } } }, CLUSTER_SPEC_DTS, 'spec'),
      ['spec.postgresql.synchronus'],
    );
  });

  it('every other object validates against the Kubernetes schemas (kubernetes-models)', async () => {
    for (const o of ha) {
      if (o.apiVersion.startsWith('postgresql.cnpg.io/')) continue;
      const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : ['', o.apiVersion];
      const path = `kubernetes-models/${group ? `${group}/` : ''}${version}/${o.kind}`;
      const Model = (await import(path))[o.kind] as new (o: unknown) => { validate(): void };
      assert.doesNotThrow(() => new Model(o).validate(), `${o.kind}/${o.metadata.name} is valid`);
    }
  });

  it("server, worker and the migration Job: DB_URI to <cluster>-rw, DB_READ_URI to <cluster>-ro, as the operator's app user", () => {
    const name = cluster.metadata.name;
    const appSecret = `${name}-app`;
    const database = cluster.spec.bootstrap?.initdb?.database as string;
    for (const [kind, owner] of [
      ['Deployment', 'server'],
      ['Deployment', 'worker'],
      ['Job', 'migrate'],
    ] as const) {
      const [c] = containersOf(find(kind, owner)) as [Container];
      const env = c.env ?? [];
      const at = (n: string) => env.findIndex((e) => e.name === n);
      // The operator's own URI for the app user, which it points at <cluster>-rw.
      assert.deepEqual(env[at('DB_URI')]?.valueFrom?.secretKeyRef, { name: appSecret, key: 'uri' }, owner);
      const read = env[at('DB_READ_URI')]?.value ?? '';
      const m = /^postgres(?:ql)?:\/\/\$\((\w+)\):\$\((\w+)\)@([^/]+)\/([^/?]+)$/.exec(read);
      assert.ok(
        m,
        `${owner}: DB_READ_URI is postgresql://$(USER):$(PASSWORD)@host:port/database, not ${read}`,
      );
      const [, userVar, passwordVar, hostPort, db] = m as unknown as [string, string, string, string, string];
      assert.equal(hostPort, `${name}-ro:5432`, `${owner}: DB_READ_URI is the read-only Service`);
      assert.equal(db, database);
      // Its user and password are the app Secret's, listed before it (expansion sees only those).
      for (const [v, key] of [
        [userVar, 'username'],
        [passwordVar, 'password'],
      ] as const) {
        assert.ok(at(v) >= 0 && at(v) < at('DB_READ_URI'), `${owner}: ${v} comes before DB_READ_URI`);
        assert.deepEqual(env[at(v)]?.valueFrom?.secretKeyRef, { name: appSecret, key }, `${owner}: ${v}`);
      }
    }
  });

  it('sets only variables the config reads (or that one of those is made from), enough for each entry point', () => {
    const known = new Set<string>(CONFIG_VARIABLES);
    const configMap = find('ConfigMap', 'profile-config').data as Record<string, string>;
    const secret = find('Secret', 'profile-secrets').stringData as Record<string, string>;
    // What the operator will write into <cluster>-app, the password made up.
    const { owner: user = '', database = '' } = cluster.spec.bootstrap?.initdb ?? {};
    const name = cluster.metadata.name;
    const host = `${name}-rw.profile-service`;
    const appSecret: Record<string, string> = {
      username: user,
      user,
      password: 'generatedByTheOperator0',
      dbname: database,
      host,
      port: '5432',
      pgpass: `${host}:5432:${database}:${user}:generatedByTheOperator0\n`,
      uri: `postgresql://${user}:generatedByTheOperator0@${host}:5432/${database}`,
      'jdbc-uri': `jdbc:postgresql://${host}:5432/${database}?password=generatedByTheOperator0&user=${user}`,
    };
    assert.deepEqual(Object.keys(appSecret), APP_SECRET_KEYS);
    const ours = ha
      .filter((o) => ['Deployment', 'Job'].includes(o.kind))
      .flatMap((o) => containersOf(o).map((c) => ({ owner: `${o.kind}/${o.metadata.name}`, c })))
      .filter(({ c }) => c.image.startsWith('profile-service/server'));
    assert.deepEqual(ours.map((x) => x.owner).sort(), [
      'Deployment/issuer',
      'Deployment/server',
      'Deployment/worker',
      'Job/migrate',
    ]);
    for (const { owner, c } of ours) {
      const env: Record<string, string> = c.envFrom ? { ...configMap } : {};
      const values = new Map<string, string>();
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref) {
          const from =
            ref.name === 'profile-secrets' ? secret : ref.name === `${name}-app` ? appSecret : undefined;
          assert.ok(
            from,
            `${owner}: ${e.name} from Secret ${ref.name}, which is neither ours nor the operator's`,
          );
          assert.ok(ref.key in from, `${owner}: Secret ${ref.name} has ${ref.key}`);
          env[e.name] = from[ref.key] as string;
        } else env[e.name] = expand(e.value ?? '', env);
        values.set(e.name, e.value ?? '');
      }
      for (const n of values.keys()) {
        const ingredient = [...values].some(([other, v]) => known.has(other) && v.includes(`$(${n})`));
        assert.ok(
          known.has(n) || n.startsWith('OTEL_') || ingredient,
          `${owner} sets ${n}, which the config neither reads nor makes a variable from`,
        );
      }
      const config = loadConfig(env);
      if (c.command?.at(-1)?.endsWith('issuer.js')) continue;
      assert.equal(new URL(config.dbUri as string).hostname, host, `${owner}: DB_URI`);
      assert.equal(new URL(config.dbReadUri as string).hostname, `${name}-ro`, `${owner}: DB_READ_URI`);
      assert.equal(
        new URL(config.dbReadUri as string).password,
        'generatedByTheOperator0',
        `${owner}: expanded`,
      );
    }
  });

  it("the Makefile's k8s/ha wait is for this Cluster", () => {
    const makefile = readFileSync(join(ROOT, 'Makefile'), 'utf8');
    assert.match(makefile, new RegExp(`condition=Ready cluster/${cluster.metadata.name}\\b`));
  });
});
