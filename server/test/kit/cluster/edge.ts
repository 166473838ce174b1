// What stands beside the instances: nginx in front of them and Prometheus scraping them, each on the
// repository's own config (deploy/) with its ports moved to the cluster's.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type Proc, startProc, waitHttp } from './processes.js';

export type EdgeSetup = {
  dir: string;
  root: string;
  track: (p: Proc) => Proc;
  log: (msg: string) => void;
};

/** deploy/nginx/local-cluster.conf, listening on `edge` and balancing over `servers`. */
export function nginxConfig(root: string, edge: number, servers: readonly number[]): string {
  const conf = readFileSync(join(root, 'deploy/nginx/local-cluster.conf'), 'utf8')
    .replace(/listen \d+;/, `listen 127.0.0.1:${edge};`)
    .replace(/server 127\.0\.0\.1:18081 /, `server 127.0.0.1:${servers[0]} `)
    .replace(/server 127\.0\.0\.1:18082 /, `server 127.0.0.1:${servers[1]} `)
    .replace(/server 127\.0\.0\.1:18083 /, `server 127.0.0.1:${servers[2]} `);
  if (!servers.every((p) => conf.includes(`server 127.0.0.1:${p} `)))
    throw new Error('deploy/nginx/local-cluster.conf: its upstreams are not where this script expects them');
  return conf;
}

export async function startNginx(setup: EdgeSetup, bin: string, edge: number, servers: readonly number[]) {
  const nginxDir = join(setup.dir, 'nginx');
  for (const sub of ['logs', 'tmp', 'cache']) mkdirSync(join(nginxDir, sub), { recursive: true });
  writeFileSync(join(nginxDir, 'nginx.conf'), nginxConfig(setup.root, edge, servers));
  setup.log(`nginx on ${edge}`);
  const args = ['-p', nginxDir, '-c', join(nginxDir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'];
  const nginx = setup.track(startProc('nginx', bin, args, { cwd: setup.root }));
  await waitHttp(`http://127.0.0.1:${edge}/health`, nginx);
  return nginx;
}

/** deploy/prometheus/local-cluster.yml, scraping `servers` and `workers`. */
export function prometheusConfig(root: string, servers: readonly number[], workers: readonly number[]) {
  const targets = (list: readonly number[]) => list.map((p) => `'127.0.0.1:${p}'`).join(', ');
  const conf = readFileSync(join(root, 'deploy/prometheus/local-cluster.yml'), 'utf8')
    .replace(/targets: \[["']127\.0\.0\.1:18081["'][^\]]*\]/, `targets: [${targets(servers)}]`)
    .replace(/targets: \[["']127\.0\.0\.1:18181["'][^\]]*\]/, `targets: [${targets(workers)}]`);
  if (!conf.includes(`127.0.0.1:${servers[0]}`) || !conf.includes(`127.0.0.1:${workers[0]}`))
    throw new Error(
      'deploy/prometheus/local-cluster.yml: its targets are not where this script expects them',
    );
  return conf;
}

/** The rule files a Prometheus config loads (its `rule_files`, relative to it). */
export function ruleFiles(config: string): string[] {
  const files = (parse(config) as { rule_files?: string[] }).rule_files ?? [];
  for (const f of files)
    if (!/^[\w.-]+$/.test(f)) throw new Error(`rule file ${f}: the cluster copies plain file names only`);
  return files;
}

type RuleFile = {
  groups: { name: string; interval?: string; rules: { alert?: string; record?: string; for?: string }[] }[];
};

/**
 * A rule file of deploy/prometheus as the cluster loads it: unchanged, or with every alert's `for:`
 * set to `alertFor` and every group evaluated at the config's interval (a test that watches rules
 * work needs no minute of waiting; the expressions, labels and annotations stay those deployed).
 */
export function clusterRules(root: string, file: string, alertFor?: string): string {
  const text = readFileSync(join(root, 'deploy/prometheus', file), 'utf8');
  if (!alertFor) return text;
  const rules = parse(text) as RuleFile;
  for (const group of rules.groups) {
    delete group.interval;
    for (const rule of group.rules) if (rule.alert && rule.for) rule.for = alertFor;
  }
  const note = `every alert's \`for:\` set to ${alertFor}, every group at the global interval, for a test`;
  return `# deploy/prometheus/${file}: ${note}.\n${stringify(rules)}`;
}

/**
 * Prometheus with the rule files local-cluster.yml names (copied beside it), or undefined (with a
 * note) when it is not installed.
 */
export async function startPrometheus(
  setup: EdgeSetup,
  bin: string | undefined,
  ports: { prometheus: number; servers: readonly number[]; workers: readonly number[] },
  alertFor?: string,
): Promise<Proc | undefined> {
  if (!bin) {
    setup.log('Prometheus is not installed (apt-get install prometheus): running without it');
    return undefined;
  }
  const promDir = join(setup.dir, 'prometheus');
  mkdirSync(promDir, { recursive: true });
  const config = prometheusConfig(setup.root, ports.servers, ports.workers);
  writeFileSync(join(promDir, 'local-cluster.yml'), config);
  for (const file of ruleFiles(config))
    writeFileSync(join(promDir, file), clusterRules(setup.root, file, alertFor));
  setup.log(`Prometheus on ${ports.prometheus}${alertFor ? ` (alerts' for: ${alertFor})` : ''}`);
  const args = [
    `--config.file=${join(promDir, 'local-cluster.yml')}`,
    `--storage.tsdb.path=${join(promDir, 'data')}`,
    `--web.listen-address=127.0.0.1:${ports.prometheus}`,
  ];
  const prometheus = setup.track(startProc('prometheus', bin, args, { cwd: setup.root }));
  await waitHttp(`http://127.0.0.1:${ports.prometheus}/-/ready`, prometheus);
  return prometheus;
}
