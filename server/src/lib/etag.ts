/**
 * Strong ETag of a representation of a versioned resource: the version is bumped on every change,
 * and a profile with its email (`"7p"`, what its owner and admins see) is another representation
 * than the public one (`"7"`).
 */
export const etagOf = (version: number, full = false): string => `"${version}${full ? 'p' : ''}"`;

function tags(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2). */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const list = tags(header);
  return list.includes('*') || list.includes(etag);
}

/**
 * Parses If-Match into the version it requires, from the ETag of either representation: undefined
 * when absent or `*`, null when it names no version this server could have issued (it then can
 * never match).
 */
export function requiredVersion(header: string | undefined): number | null | undefined {
  if (!header) return undefined;
  const list = header.split(',').map((t) => t.trim());
  if (list.includes('*')) return undefined;
  for (const tag of list) {
    const m = /^"(\d{1,9})p?"$/.exec(tag);
    if (m) return Number(m[1]);
  }
  return null;
}
