import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { Database, Queryable, QueryObserver, Row } from './database.js';
import { boundedReadsOver, transactionOver, withTimeout } from './database.js';

/**
 * PGlite is a single Postgres session: two callers' statements would interleave inside one
 * another's transaction. Every query and every transaction therefore runs under one FIFO lock.
 */
function createLock() {
  let tail: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  return {
    get waiting() {
      return waiting;
    },
    run<T>(fn: () => Promise<T>): Promise<T> {
      waiting++;
      const result = tail.then(() => {
        waiting--;
        return fn();
      });
      tail = result.catch(() => {});
      return result;
    },
  };
}

type CompiledModules = Required<Pick<PGliteOptions, 'pgliteWasmModule' | 'initdbWasmModule'>>;
// The compiler's ES libraries leave WebAssembly out (it is declared with the DOM's).
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } })
  .WebAssembly;
let compiled: Promise<CompiledModules> | undefined;

/**
 * PGlite's two WebAssembly modules, compiled once per process and kept. Without them each instance
 * compiles its own and frees it on close; a process that opens many in turn (the test suites open
 * hundreds) then churns wasm code, and V8 was seen aborting while freeing it (a known fault of its
 * code-page registry). Compiled code is immutable, so sharing it changes nothing else.
 */
function compiledModules(): Promise<CompiledModules> {
  compiled ??= (async () => {
    const dist = new URL('.', import.meta.resolve('@electric-sql/pglite'));
    const compile = async (file: string) =>
      (await wasm.compile(await readFile(new URL(file, dist)))) as CompiledModules['pgliteWasmModule'];
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([
      compile('pglite.wasm'),
      compile('initdb.wasm'),
    ]);
    return { pgliteWasmModule, initdbWasmModule };
  })();
  return compiled;
}

export async function createPgliteDatabase(opts: {
  dataDir: string | undefined;
  observe?: QueryObserver | undefined;
}): Promise<Database> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // The extensions the migrations create must be loaded into the embedded build.
  const extensions = { pg_trgm };
  const modules = await compiledModules();
  const pglite = await PGlite.create(
    opts.dataDir ? { dataDir: opts.dataDir, extensions, ...modules } : { extensions, ...modules },
  );
  const lock = createLock();
  let closed = false;

  const raw = async <T extends Row>(sql: string, params: readonly unknown[] = [], name?: string) => {
    const start = performance.now();
    let ok = false;
    try {
      // exec (simple protocol) allows several statements, as migrations need; query binds parameters.
      const rows =
        params.length === 0
          ? ((await pglite.exec(sql)).at(-1)?.rows ?? [])
          : (await pglite.query(sql, params as unknown[])).rows;
      ok = true;
      return rows as T[];
    } finally {
      opts.observe?.(name ?? 'sql', (performance.now() - start) / 1000, ok);
    }
  };
  const direct: Queryable = { query: raw };
  const query: Queryable['query'] = (sql, params, name) => lock.run(() => raw(sql, params, name));
  const session = <T>(fn: (s: Queryable) => Promise<T>) => lock.run(() => fn(direct));

  return {
    kind: 'pglite',
    reader: { query, within: boundedReadsOver(session) },
    query,
    session,
    transaction: transactionOver(session),
    listen: async (channel, onNotify) => {
      const unsubscribe = await lock.run(() => pglite.listen(channel, () => onNotify()));
      return () => lock.run(() => unsubscribe());
    },
    ping: async (timeoutMs) => {
      if (closed) throw new Error('database closed');
      await withTimeout(query('SELECT 1'), timeoutMs, 'database ping');
    },
    stats: () => [
      { pool: 'embedded', total: 1, idle: lock.waiting === 0 ? 1 : 0, waiting: lock.waiting, max: 1 },
    ],
    close: async () => {
      if (closed) return;
      closed = true;
      await lock.run(() => pglite.close());
    },
  };
}
