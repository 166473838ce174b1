import { ERRORS } from '../errors.js';

/**
 * Strong ETag of a representation of a versioned resource: the version is bumped on every change,
 * and a profile with its email (`"7p"`, what its owner and admins see) is another representation
 * than the public one (`"7"`).
 */
export const etagOf = (version: number, full = false): string => `"${version}${full ? 'p' : ''}"`;

type EntityTag = { weak: boolean; tag: string };

// One member of an entity-tag list (RFC 9110 §8.8.3, §5.6.1): a quoted tag, optionally weak, then a
// comma or the end. Empty members (`"1", , "2"`) are allowed by the list syntax.
const MEMBER = /^[ \t]*(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"[ \t]*(?:,|$)/;
const EMPTY_MEMBER = /^[ \t]*,/;

/** `*`, or the list of entity-tags; undefined when the value is not one of these. */
function parseTags(header: string): '*' | EntityTag[] | undefined {
  if (header.trim() === '*') return '*';
  const list: EntityTag[] = [];
  let rest = header;
  while (rest.trim() !== '') {
    const empty = EMPTY_MEMBER.exec(rest);
    if (empty) {
      rest = rest.slice(empty[0].length);
      continue;
    }
    const m = MEMBER.exec(rest);
    if (!m) return undefined;
    list.push({ weak: m[1] !== undefined, tag: `"${m[2]}"` });
    rest = rest.slice(m[0].length);
  }
  return list;
}

/** If-None-Match uses weak comparison (RFC 9110 §13.1.2); a malformed value matches nothing. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const list = parseTags(header);
  if (list === '*') return true;
  return list?.some((t) => t.tag === etag) ?? false;
}

/**
 * Reads If-Match (RFC 9110 §13.1.1) into the versions one of which the resource must have now, from
 * the ETags of either representation: undefined when there is no condition (absent) or any current
 * representation matches (`*`). Strong comparison: a weak tag matches nothing, and so does a tag this
 * server never issued; an empty value is a list that matches nothing, never "unconditional". A value
 * that is neither `*` nor a list of entity-tags is a 400.
 */
export function requiredVersions(header: string | undefined): number[] | undefined {
  if (header === undefined) return undefined;
  const list = parseTags(header);
  if (list === undefined) {
    throw ERRORS.badRequest('If-Match must be "*" or a list of entity tags, such as "7p"');
  }
  if (list === '*') return undefined;
  const versions: number[] = [];
  for (const { weak, tag } of list) {
    const m = /^"(\d{1,9})p?"$/.exec(tag);
    if (!weak && m) versions.push(Number(m[1]));
  }
  return versions;
}
