// What a test of the local cluster needs: every machine tool, and the Redis and RabbitMQ it runs on.
import { type ClusterEntry, clusterTools } from '../local-cluster.js';
import { rabbitUnavailable, redisUnavailable } from '../services.js';
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
