// The generated wire types are never edited by hand nor left behind the API: lib/api.gen.ts must be
// exactly what the server's OpenAPI document generates now.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GENERATED, generateApiTypes, staleness } from '../scripts/openapi-types';

describe('generated API types', () => {
  it('lib/api.gen.ts is what the OpenAPI document generates', { timeout: 300_000 }, async () => {
    const fresh = await generateApiTypes();
    const committed = existsSync(GENERATED) ? readFileSync(GENERATED, 'utf8') : undefined;
    const why = staleness(fresh, committed);
    assert.equal(why, undefined, why);
  });

  it('names the first line that differs', () => {
    assert.equal(staleness('a\nb\n', 'a\nb\n'), undefined);
    assert.match(staleness('a\nb\n', 'a\nc\n') ?? '', /line 2 differs.*committed: c.*generated: b/s);
    assert.match(staleness('a\nb\n', 'a\n') ?? '', /line 2 differs/);
    assert.match(staleness('a\n', undefined) ?? '', /missing/);
  });
});
