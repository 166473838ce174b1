// What a test of the local cluster needs: every machine tool, and the Redis and RabbitMQ it runs on;
// and the cluster as the tests start it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testIssuer } from '../identity.js';
import {
  type ClusterEntry,
  type ClusterOptions,
  clusterTools,
  freeClusterPorts,
  startLocalCluster,
} from '../local-cluster.js';
import { QUEUE_URI, REDIS_ADDRESS, rabbitUnavailable, redisUnavailable } from '../services.js';
import { anySkip } from '../tools.js';

/** Why the local cluster cannot run here, or false. Tools are looked up before anything starts. */
export async function localClusterUnavailable(): Promise<string | false> {
  return (
    anySkip(...Object.values(clusterTools())) ||
    ((await redisUnavailable()) ?? (await rabbitUnavailable()) ?? false)
  );
}

/** Runs an instance from the sources, as the tests do (no build needed). */
export const fromSources = (name: ClusterEntry) => ['--import', 'tsx', `src/cmd/${name}.ts`];

/**
 * The cluster on free ports, from the sources, accepting the test issuer's tokens, on the machine's
 * Redis (under `prefix`) and RabbitMQ (under `namespace`), rate limits off; `env` adds to that.
 */
export async function startTestCluster(
  tag: string,
  opts: { prefix: string; namespace: string; env?: Record<string, string> } & Partial<
    Omit<ClusterOptions, 'env'>
  >,
) {
  const { prefix, namespace, env, ...rest } = opts;
  return startLocalCluster({
    dir: mkdtempSync(join(tmpdir(), `${tag}-`)),
    ports: await freeClusterPorts(),
    entry: fromSources,
    issuer: (await testIssuer()).env,
    ...rest,
    env: {
      RATE_LIMIT_ENABLED: 'false',
      REDIS_ADDRESS,
      CACHE_KEY_PREFIX: prefix,
      QUEUE_URI,
      QUEUE_NAMESPACE: namespace,
      ...env,
    },
  });
}
