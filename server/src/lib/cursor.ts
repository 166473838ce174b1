import { ERRORS } from '../errors.js';
import { isUuid } from './ids.js';

export type Cursor = { createdAt: Date; id: string };

/** Opaque keyset cursor: the (created_at, id) of the last row of the previous page. */
export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.toISOString()}|${c.id}`).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  const fail = () => ERRORS.invalidCursor();
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) throw fail();
  const [iso, id, ...rest] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !iso || !id || !isUuid(id) || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(iso))
    throw fail();
  const createdAt = new Date(iso);
  if (Number.isNaN(createdAt.getTime())) throw fail();
  return { createdAt, id };
}

/**
 * One page of rows read with `limit + 1`: the first `limit`, and the cursor after the last of them
 * when the extra row says there is more.
 */
export function keysetPage<R extends { created_at: string | Date; id: string }>(
  rows: R[],
  limit: number,
): { items: R[]; next: string | undefined } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const next =
    rows.length > limit && last
      ? encodeCursor({ createdAt: new Date(last.created_at), id: last.id })
      : undefined;
  return { items, next };
}
