// Baseline: the least a Fastify + pg service can do for the same endpoints — no logger, no schemas,
// no metrics, no validation. Same SQL as the service (named, i.e. prepared, statements like the service).
// Run as its own process: PORT=3000 DB_URI=postgres://… node --import tsx bench/baselines/fastify-pg.ts
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const connectionString = process.env.DB_URI;
if (!connectionString) {
  process.stderr.write('DB_URI is required\n');
  process.exit(1);
}

const COLUMNS = 'id, name, email, bio, image_urls, version, created_at, updated_at';
const pool = new pg.Pool({ connectionString, max: 10 });
pool.on('error', (err) => process.stderr.write(`pool error: ${err.message}\n`));

const app = Fastify({ logger: false });

app.get('/health/ready', async () => {
  await pool.query('SELECT 1');
  return { status: 'ready' };
});

app.get<{ Params: { id: string } }>('/profiles/:id', async (request, reply) => {
  const { rows } = await pool.query({
    name: 'by_id',
    text: `SELECT ${COLUMNS} FROM profiles WHERE id = $1`,
    values: [request.params.id],
  });
  if (rows.length === 0) return reply.code(404).send({ error: 'not found' });
  return rows[0];
});

app.get('/profiles', async () => {
  const { rows } = await pool.query({
    name: 'list',
    text: `SELECT ${COLUMNS} FROM profiles ORDER BY created_at DESC, id DESC LIMIT 21`,
  });
  return rows.slice(0, 20);
});

app.post<{ Body: { name: string; email: string; bio?: string } }>('/profiles', async (request, reply) => {
  const { name, email, bio = '' } = request.body;
  const { rows } = await pool.query({
    name: 'insert',
    text: `INSERT INTO profiles (id, name, email, bio, version, created_at, updated_at)
           VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING ${COLUMNS}`,
    values: [randomUUID(), name, email, bio, new Date()],
  });
  return reply.code(201).send(rows[0]);
});

const shutdown = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

await app.listen({ host, port });
