// What a run leaves outside its own process: children, the bench database, the queue namespace, Redis keys
// and the services' image directories. Each is recorded as it appears, so that one cleanup removes exactly
// what exists, after a normal end, an error or a signal alike.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { deleteTopology } from './amqp.js';
import type { Config } from './config.js';
import { dropDatabase, recreateDatabase } from './db.js';
import { type OtlpSink, startOtlpSink } from './otlp-sink.js';
import type { Stoppable } from './proc.js';
import { connectRedis, deleteByPrefix } from './redis.js';

export type Resources = {
  readonly config: Config;
  /** The services' DATA_DIRs (their uploaded images), one per service. */
  readonly mediaRoot: string;
  track(child: Stoppable): void;
  createDatabase(): Promise<void>;
  /** Called once workers may declare the bench namespace on the broker. */
  useBroker(): void;
  /** The bench's own Redis connection (clearing keys, checking fills); opened on first use. */
  redis(): Promise<Redis>;
  /** The OTLP receiver of the services at production settings; started on first use. */
  otlpSink(): Promise<OtlpSink>;
  cleanup(): Promise<void>;
};

export function createResources(config: Config): Resources {
  const children: Stoppable[] = [];
  let dbCreated = false;
  let brokerUsed = false;
  let redisAdmin: Promise<Redis> | undefined;
  let sink: Promise<OtlpSink> | undefined;
  let cleaning: Promise<void> | undefined;
  const mediaRoot = mkdtempSync(join(os.tmpdir(), 'profiles-bench-data-'));

  return {
    config,
    mediaRoot,
    track: (child) => {
      children.push(child);
    },
    createDatabase: async () => {
      await recreateDatabase(config.adminUrl, config.dbName);
      dbCreated = true;
    },
    useBroker: () => {
      brokerUsed = true;
    },
    redis: () => {
      redisAdmin ??= connectRedis(config.redisAddress);
      return redisAdmin;
    },
    otlpSink: () => {
      sink ??= startOtlpSink();
      return sink;
    },
    cleanup: () => {
      cleaning ??= (async () => {
        // Children first: then nothing consumes from, re-declares or writes to what is deleted next.
        await Promise.allSettled(children.map((r) => r.stop()));
        if (sink) await (await sink).close();
        rmSync(mediaRoot, { recursive: true, force: true });
        if (brokerUsed) await deleteQueues(config);
        if (dbCreated) {
          await dropDatabase(config.adminUrl, config.dbName).catch((err: Error) =>
            console.error(`could not drop database ${config.dbName}: ${err.message}`),
          );
        }
        if (redisAdmin) await deleteKeys(config, redisAdmin);
      })();
      return cleaning;
    },
  };
}

async function deleteQueues(config: Config): Promise<void> {
  const ns = config.queueNamespace;
  try {
    const failed = await deleteTopology(config.queueUri, {
      queues: [`${ns}.tasks`, `${ns}.tasks.dead`, `${ns}.amqp-echo`],
      exchanges: [`${ns}.tasks`, `${ns}.tasks.dead`, `${ns}.events`],
    });
    for (const f of failed) console.error(`could not delete ${f}`);
  } catch (err) {
    console.error(`could not delete the queues of ${ns}: ${(err as Error).message}`);
  }
}

async function deleteKeys(config: Config, redis: Promise<Redis>): Promise<void> {
  try {
    const client = await redis;
    await deleteByPrefix(client, config.cacheKeyPrefix);
    await client.quit();
  } catch (err) {
    console.error(`could not delete redis keys under ${config.cacheKeyPrefix}: ${(err as Error).message}`);
  }
}

/** An interrupted run still removes what it made. */
export function cleanupOnSignals(resources: Resources): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping children, dropping the bench database and queues…`);
      void resources.cleanup().finally(() => process.exit(130));
    });
  }
}
