// What any JSON the API accepts must be, beyond parsing: not nested past a bound (deep values
// overflow the stack of whatever walks them later: validation, cloning, serialising), and made of
// well-formed Unicode (a lone surrogate, allowed by JSON's \u escapes, would be stored as U+FFFD).

export const MAX_JSON_DEPTH = 32;

export type JsonShapeIssue = { kind: 'too_deep'; depth: number } | { kind: 'lone_surrogate'; field: string };

/** The first thing wrong with a parsed value's shape, walking it without recursion. */
export function jsonShapeIssue(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonShapeIssue | undefined {
  const stack: { value: unknown; depth: number; path: string[] }[] = [{ value, depth: 0, path: [] }];
  while (stack.length > 0) {
    const { value: v, depth, path } = stack.pop() as (typeof stack)[number];
    if (typeof v === 'string') {
      if (!v.isWellFormed()) return { kind: 'lone_surrogate', field: path.join('.') };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > maxDepth) return { kind: 'too_deep', depth: depth + 1 };
    const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v);
    for (const [key, item] of entries) {
      const at = [...path, key];
      if (!key.isWellFormed()) return { kind: 'lone_surrogate', field: at.join('.') };
      stack.push({ value: item, depth: depth + 1, path: at });
    }
  }
  return undefined;
}
