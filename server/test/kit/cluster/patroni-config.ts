// The configuration files of the cluster's PostgreSQL: deploy/patroni/local-cluster.yml for each
// member and deploy/haproxy/local-cluster.cfg, their ports and directories moved to the cluster's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { PostgresPorts, PostgresSetup } from './patroni.js';

export const MEMBERS = ['pg1', 'pg2', 'pg3'] as const;

/** deploy/haproxy/local-cluster.cfg with the cluster's ports. */
export function haproxyConfig(root: string, ports: PostgresPorts): string {
  const [write, read] = ports.haproxy;
  let conf = readFileSync(join(root, 'deploy/haproxy/local-cluster.cfg'), 'utf8')
    .replace(/bind 127\.0\.0\.1:15432\b/, `bind 127.0.0.1:${write}`)
    .replace(/bind 127\.0\.0\.1:15433\b/, `bind 127.0.0.1:${read}`);
  MEMBERS.forEach((name, i) => {
    const line = new RegExp(`server ${name} 127\\.0\\.0\\.1:\\d+ check port \\d+`, 'g');
    conf = conf.replace(line, `server ${name} 127.0.0.1:${ports.postgres[i]} check port ${ports.patroni[i]}`);
  });
  const expected = [
    `bind 127.0.0.1:${write}`,
    `bind 127.0.0.1:${read}`,
    ...MEMBERS.map((n, i) => `server ${n} 127.0.0.1:${ports.postgres[i]} check port ${ports.patroni[i]}`),
  ];
  if (!expected.every((s) => conf.includes(s)))
    throw new Error('deploy/haproxy/local-cluster.cfg: its ports are not where this script expects them');
  return conf;
}

type PatroniFile = {
  name: string;
  restapi: { listen: string; connect_address: string };
  etcd3: { hosts: string };
  postgresql: {
    listen: string;
    connect_address: string;
    data_dir: string;
    bin_dir: string;
    pgpass: string;
    parameters: Record<string, unknown>;
  };
};

/** deploy/patroni/local-cluster.yml for member `i`, its addresses and directories the cluster's. */
export function patroniConfig(
  setup: Pick<PostgresSetup, 'root' | 'pgDir' | 'bin'>,
  ports: PostgresPorts,
  i: number,
) {
  const file = parse(
    readFileSync(join(setup.root, 'deploy/patroni/local-cluster.yml'), 'utf8'),
  ) as PatroniFile;
  const name = MEMBERS[i] as string;
  const api = `127.0.0.1:${ports.patroni[i]}`;
  const pg = `127.0.0.1:${ports.postgres[i]}`;
  file.name = name;
  file.restapi = { listen: api, connect_address: api };
  file.etcd3 = { hosts: `127.0.0.1:${ports.etcd[0]}` };
  Object.assign(file.postgresql, {
    listen: pg,
    connect_address: pg,
    data_dir: join(setup.pgDir, name),
    bin_dir: setup.bin.postgresBinDir,
    pgpass: join(setup.pgDir, `pgpass-${name}`),
  });
  file.postgresql.parameters.unix_socket_directories = setup.pgDir;
  return stringify(file);
}
