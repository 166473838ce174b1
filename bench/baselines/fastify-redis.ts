// Baseline: the least a Fastify + Redis service can do to serve a cached profile — no logger, no schemas,
// no metrics, no validation, no tokens. Reads the entries the service's Redis cache writes (`<prefix>e:<id>`
// holding `<version>|<owner JSON>\n<public JSON>\n<full JSON>`, server/src/services/profile-views.ts) and
// sends the public JSON as is, what the service shows anyone but the owner and admins: one GET per
// request, like a service cache hit.
// Run as its own process:
//   PORT=3000 REDIS_ADDRESS=127.0.0.1:6379 CACHE_KEY_PREFIX='bench:{pc}:' node --import tsx bench/baselines/fastify-redis.ts
import Fastify from 'fastify';
import { Redis } from 'ioredis';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const address = process.env.REDIS_ADDRESS ?? '127.0.0.1:6379';
const prefix = process.env.CACHE_KEY_PREFIX;
if (!prefix) {
  process.stderr.write('CACHE_KEY_PREFIX is required\n');
  process.exit(1);
}
const entryPrefix = `${prefix}e:`;

const [redisHost, redisPort] = address.split(':');
const redis = new Redis({ host: redisHost, port: Number(redisPort) });
redis.on('error', (err) => process.stderr.write(`redis error: ${err.message}\n`));

const app = Fastify({ logger: false });

app.get('/health/ready', async () => {
  await redis.ping();
  return { status: 'ready' };
});

app.get<{ Params: { id: string } }>('/profiles/:id', async (request, reply) => {
  const raw = await redis.get(entryPrefix + request.params.id);
  if (raw === null) return reply.code(404).send({ error: 'not found' });
  const publicStart = raw.indexOf('\n') + 1;
  return reply.type('application/json').send(raw.slice(publicStart, raw.indexOf('\n', publicStart)));
});

const shutdown = async () => {
  await app.close();
  redis.disconnect();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

await app.listen({ host, port });
