import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors.js';
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.js';
import { etagOf, noneMatch, requiredVersions } from '../../src/lib/etag.js';
import { isUuid, newId } from '../../src/lib/ids.js';

describe('cursor', () => {
  it('round-trips (created_at, id) and is opaque URL-safe text', () => {
    const c = { createdAt: new Date('2026-01-02T03:04:05.678Z'), id: newId() };
    const text = encodeCursor(c);
    assert.match(text, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(text), c);
  });
  it('keeps the millisecond and an id of any case, and tells the client where it went wrong', () => {
    const c = { createdAt: new Date(0), id: '0190A9F0-0000-7000-8000-00000000ABCD' };
    assert.deepEqual(decodeCursor(encodeCursor(c)), c);
    assert.throws(
      () => decodeCursor('!!'),
      (e: unknown) =>
        e instanceof AppError &&
        e.status === 400 &&
        e.errors?.length === 1 &&
        e.errors[0]?.field === 'cursor',
    );
  });
  it('refuses a time that is not exactly ISO with milliseconds in UTC', () => {
    const id = newId();
    for (const iso of ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.678+01:00', '2026-01-02 03:04:05.678Z'])
      assert.throws(
        () => decodeCursor(Buffer.from(`${iso}|${id}`).toString('base64url')),
        (e: unknown) => e instanceof AppError && e.code === 'invalid_cursor',
        iso,
      );
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
    assert.ok(noneMatch('"3"', etagOf(3)));
    assert.ok(noneMatch('W/"3"', etagOf(3)));
    assert.ok(noneMatch('"1", "3"', etagOf(3)));
    assert.ok(noneMatch('*', etagOf(3)));
    assert.ok(!noneMatch('"2"', etagOf(3)));
    assert.ok(!noneMatch(undefined, etagOf(3)));
  });
  it('gives each representation its own tag, and If-Match takes either', () => {
    assert.equal(etagOf(3, true), '"3p"');
    assert.ok(!noneMatch('"3"', etagOf(3, true)), 'the public tag is not the full one');
    assert.deepEqual(requiredVersions('"3p"'), [3]);
    assert.deepEqual(requiredVersions('"3q"'), []);
  });
  it('compares by value, trimming spaces, and never matches a tag this server could not have issued', () => {
    assert.ok(noneMatch(' "1" ,  W/"3" ', etagOf(3)));
    assert.ok(!noneMatch('"03"', etagOf(3)), 'a tag is compared as text');
    assert.ok(!noneMatch('', etagOf(3)));
    assert.ok(!noneMatch('3', etagOf(3)), 'an unquoted version is no tag');
  });
  it('reads an If-Match list whole: any strong member may match (RFC 9110 13.1.1)', () => {
    assert.deepEqual(requiredVersions('W/"1", "5", "6p"'), [5, 6], 'weak members never match');
    assert.deepEqual(requiredVersions('"1234567890", "-1", ""'), [], 'no version this server issues');
    assert.deepEqual(requiredVersions('"2",, "3" ,'), [2, 3], 'empty list members are allowed');
    assert.deepEqual(requiredVersions('"a,b", "4"'), [4], 'a comma inside a tag does not split it');
  });
  it('never reads an empty or malformed If-Match as unconditional', () => {
    assert.equal(requiredVersions(undefined), undefined);
    assert.equal(requiredVersions('*'), undefined);
    assert.equal(requiredVersions(' * '), undefined);
    assert.deepEqual(requiredVersions(''), [], 'an empty value matches nothing');
    assert.deepEqual(requiredVersions(' , '), []);
    for (const malformed of ['garbage', '4', '"7" , *', '*, *', '"4', 'W/4', '"4" "5"', '"a b"']) {
      assert.throws(
        () => requiredVersions(malformed),
        (err: unknown) => err instanceof AppError && err.code === 'bad_request',
        malformed,
      );
    }
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
