import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { constraintOf, isUnreachable, sqlState, withTimeout } from '../../src/db/database.js';

/** A driver error as pg and PGlite raise them: a message and, for server errors, a SQLSTATE code. */
const driverError = (message: string, code?: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), code === undefined ? {} : { code }, extra);

describe('isUnreachable', () => {
  it('is true for the SQLSTATEs of a database that cannot serve: connection class, shutdown, too many', () => {
    for (const code of ['08000', '08001', '08003', '08006', '57P01', '57P02', '57P03', '53300'])
      assert.equal(isUnreachable(driverError('server says no', code)), true, code);
  });

  it('is true for socket errors, by code or in the message', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND'])
      assert.equal(isUnreachable(driverError(`connect ${code} 127.0.0.1:1`, code)), true, code);
    assert.equal(isUnreachable(driverError('read ECONNRESET')), true, 'in the message alone');
  });

  it("is true for the drivers' own words for a lost or unobtainable connection", () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout exceeded when trying to connect',
      'database closed',
      'Client has encountered a connection error and is not queryable',
    ])
      assert.equal(isUnreachable(driverError(message)), true, message);
  });

  it('is false for a bad query or a constraint: retrying elsewhere would not help', () => {
    for (const [message, code] of [
      ['duplicate key value violates unique constraint "profiles_email_key"', '23505'],
      ['relation "nope" does not exist', '42P01'],
      ['syntax error at or near "SELEC"', '42601'],
      ['canceling statement due to statement timeout', '57014'],
      ['deadlock detected', '40P01'],
    ] as const)
      assert.equal(isUnreachable(driverError(message, code)), false, `${code} ${message}`);
    assert.equal(isUnreachable(new Error('something else went wrong')), false);
  });

  it('is false for things that are not errors at all', () => {
    for (const value of [null, undefined, 0, '', 'ECONNREFUSED but only a string', {}, { code: 42 }])
      assert.equal(isUnreachable(value), false, String(value));
  });
});

describe('sqlState and constraintOf', () => {
  it('read a five-character SQLSTATE and a constraint name, nothing else', () => {
    assert.equal(sqlState(driverError('x', '23505')), '23505');
    assert.equal(sqlState(driverError('x', 'ECONNREFUSED')), undefined, 'a socket code is no SQLSTATE');
    assert.equal(sqlState(null), undefined);
    assert.equal(
      constraintOf(driverError('x', '23505', { constraint: 'profiles_email_key' })),
      'profiles_email_key',
    );
    assert.equal(constraintOf(driverError('x', '23505')), undefined);
    assert.equal(constraintOf(undefined), undefined);
  });
});

describe('withTimeout', () => {
  it('passes a result through, and rejects naming what timed out', async () => {
    assert.equal(await withTimeout(Promise.resolve(7), 1000, 'a ping'), 7);
    await assert.rejects(withTimeout(new Promise(() => {}), 20, 'a ping'), /a ping timed out after 20 ms/);
    await assert.rejects(withTimeout(Promise.reject(new Error('refused')), 1000, 'a ping'), /refused/);
  });
});
