// Baseline: the least a Fastify + pg service can do for the same endpoints — no logger, no schemas,
// no metrics, no validation, no tokens (anyone may write). Same SQL as the service (named, i.e. prepared,
// statements like the service) without its outbox events; reads answer what the service shows everyone
// (no email), writes what it shows the writer (everything but the owner).
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

// The service's PROFILE_COLUMNS (server/src/repository/profiles.ts).
const COLUMNS = 'id, name, email, bio, image_urls, version, created_at, updated_at, owner_sub';
type Row = { email: string; owner_sub: string | null } & Record<string, unknown>;
const publicView = ({ email: _email, owner_sub: _owner, ...rest }: Row) => rest;
const fullView = ({ owner_sub: _owner, ...rest }: Row) => rest;
const pool = new pg.Pool({ connectionString, max: 10 });
pool.on('error', (err) => process.stderr.write(`pool error: ${err.message}\n`));

const app = Fastify({ logger: false });

app.get('/health/ready', async () => {
  await pool.query('SELECT 1');
  return { status: 'ready' };
});

app.get<{ Params: { id: string } }>('/profiles/:id', async (request, reply) => {
  const { rows } = await pool.query<Row>({
    name: 'by_id',
    text: `SELECT ${COLUMNS} FROM profiles WHERE id = $1`,
    values: [request.params.id],
  });
  const [row] = rows;
  if (!row) return reply.code(404).send({ error: 'not found' });
  return publicView(row);
});

app.get('/profiles', async () => {
  const { rows } = await pool.query<Row>({
    name: 'list',
    text: `SELECT ${COLUMNS} FROM profiles ORDER BY created_at DESC, id DESC LIMIT 21`,
  });
  return rows.slice(0, 20).map(publicView);
});

app.post<{ Body: { name: string; email: string; bio?: string } }>('/profiles', async (request, reply) => {
  const { name, email, bio = '' } = request.body;
  const { rows } = await pool.query<Row>({
    name: 'insert',
    text: `INSERT INTO profiles (id, name, email, bio, version, created_at, updated_at)
           VALUES ($1, $2, $3, $4, 1, $5, $5) RETURNING ${COLUMNS}`,
    values: [randomUUID(), name, email, bio, new Date()],
  });
  return reply.code(201).send(fullView(rows[0] as Row));
});

type Changes = { name?: string; email?: string; bio?: string };
app.patch<{ Params: { id: string }; Body: Changes }>('/profiles/:id', async (request, reply) => {
  const { name = null, email = null, bio = null } = request.body;
  const { rows } = await pool.query<Row>({
    name: 'update',
    text: `UPDATE profiles SET name = COALESCE($2, name), email = COALESCE($3, email), bio = COALESCE($4, bio),
             version = version + 1, updated_at = GREATEST($5, created_at)
           WHERE id = $1 RETURNING ${COLUMNS}`,
    values: [request.params.id, name, email, bio, new Date()],
  });
  const [row] = rows;
  if (!row) return reply.code(404).send({ error: 'not found' });
  return fullView(row);
});

const shutdown = async () => {
  await app.close();
  await pool.end();
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());

await app.listen({ host, port });
