import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors.js';
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.js';
import { etagOf, noneMatch, requiredVersion } from '../../src/lib/etag.js';
import { isUuid, newId } from '../../src/lib/ids.js';
import { fieldErrors } from '../../src/lib/validator.js';

describe('cursor', () => {
  it('round-trips (created_at, id) and is opaque URL-safe text', () => {
    const c = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: newId() };
    const text = encodeCursor(c);
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(text), c);
  });
  it('rejects tampering with invalid_cursor', () => {
    const forged = [
      '',
      '!!',
      Buffer.from('2026-01-02T03:04:05.678Z|nope').toString('base64url'),
      Buffer.from(`yesterday|${newId()}`).toString('base64url'),
      Buffer.from(`2026-13-45T03:04:05.678Z|${newId()}`).toString('base64url'),
      Buffer.from(`2026-01-02T03:04:05.678Z|${newId()}|extra`).toString('base64url'),
      'a'.repeat(201),
    ];
    for (const text of forged) {
      assert.throws(
        () => decodeCursor(text),
        (e: unknown) => e instanceof AppError && e.code === 'invalid_cursor',
        text,
      );
    }
  });
});

describe('etag', () => {
  it('matches If-None-Match weakly and by list', () => {
    assert.equal(etagOf(3), '"3"');
    assert.ok(noneMatch('"3"', 3));
    assert.ok(noneMatch('W/"3"', 3));
    assert.ok(noneMatch('"1", "3"', 3));
    assert.ok(noneMatch('*', 3));
    assert.ok(!noneMatch('"2"', 3));
    assert.ok(!noneMatch(undefined, 3));
  });
  it('parses If-Match into the required version', () => {
    assert.equal(requiredVersion(undefined), undefined);
    assert.equal(requiredVersion('*'), undefined);
    assert.equal(requiredVersion('"4"'), 4);
    assert.equal(requiredVersion('W/"4"'), null, 'weak tags never satisfy If-Match');
    assert.equal(requiredVersion('garbage'), null);
  });
});

describe('ids', () => {
  it('makes time-ordered UUIDv7s', () => {
    const a = newId();
    const b = newId();
    assert.ok(isUuid(a) && isUuid(b));
    assert.equal(a[14], '7');
    assert.ok(a < b);
    assert.ok(!isUuid('1234'));
  });
});

describe('fieldErrors', () => {
  it('names unknown, missing and invalid fields', () => {
    const errors = fieldErrors(
      [
        { instancePath: '', keyword: 'additionalProperties', params: { additionalProperty: 'role' } },
        { instancePath: '', keyword: 'required', params: { missingProperty: 'email' } },
        {
          instancePath: '/name',
          keyword: 'maxLength',
          message: 'must NOT have more than 100 characters',
          params: {},
        },
        { instancePath: '', keyword: 'minProperties', params: {} },
      ],
      { whole: 'body' },
    );
    assert.deepEqual(errors, [
      { field: 'role', message: 'unknown field "role"' },
      { field: 'email', message: 'is required' },
      { field: 'name', message: 'must NOT have more than 100 characters' },
      { field: 'body', message: 'must contain at least one field' },
    ]);
  });
});
