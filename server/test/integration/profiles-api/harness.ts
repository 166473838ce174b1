// What every profiles API test file uses: the app on one engine, requests as a client sends them,
// and the shape every error answer must have.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { suiteApp, type TestDatabaseOpener, uniqueEmail } from '../../kit/app.js';

export type Json = Record<string, unknown>;
export const BASE = '/api/v1/profiles';
export const UNKNOWN_ID = '0190a9f0-0000-7000-8000-000000000000';
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
export const RFC3339_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Asserts an RFC 9457 problem answer with this status and code, and no stack trace; returns its body. */
export function assertProblem(res: LightMyRequestResponse, status: number, code: string): Json {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const body = res.json() as Json;
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.equal(body.request_id, res.headers['x-request-id']);
  assert.doesNotMatch(res.body, /at .+\.(ts|js):\d+/, 'no stack trace');
  return body;
}

export type ProfilesHarness = ReturnType<typeof profilesHarness>;

/** The app for the enclosing describe's tests, over a database `database` opens. */
export function profilesHarness(database: TestDatabaseOpener, env: () => Record<string, string>) {
  const t = suiteApp(() => ({ env: env(), testDatabase: database }));
  const send = (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) =>
    t.app.inject({
      method,
      url,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const create = async (fields: Json = {}) => {
    const res = await send('POST', BASE, { name: 'Ada Lovelace', email: uniqueEmail(), ...fields });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Json & { id: string; version: number; email: string };
  };
  return { t, send, create };
}
