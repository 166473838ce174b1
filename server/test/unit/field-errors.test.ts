import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorObject } from 'ajv';
import { createAjv, fieldErrors, describe as summarise } from '../../src/lib/validator.js';

type Issue = Pick<ErrorObject, 'instancePath' | 'keyword' | 'message' | 'params'>;
const issue = (
  instancePath: string,
  keyword: string,
  params: Record<string, unknown> = {},
  message?: string,
) => ({ instancePath, keyword, params, ...(message ? { message } : {}) }) as Issue;
/** The field error one schema error maps to. */
const mapped = (i: Issue, opts?: Parameters<typeof fieldErrors>[1]) => fieldErrors([i], opts)[0];

describe('fieldErrors', () => {
  it('names unknown, missing and invalid fields, in the order reported', () => {
    const errors = fieldErrors(
      [
        issue('', 'additionalProperties', { additionalProperty: 'role' }),
        issue('', 'required', { missingProperty: 'email' }),
        issue('/name', 'maxLength', {}, 'must NOT have more than 100 characters'),
        issue('', 'minProperties'),
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

  it('lists the allowed values of an enum, on the field or on the whole value', () => {
    assert.deepEqual(mapped(issue('/type', 'enum', { allowedValues: ['sleep', 'echo'] })), {
      field: 'type',
      message: 'must be one of: sleep, echo',
    });
    assert.deepEqual(mapped(issue('', 'enum', { allowedValues: ['a', 'b'] }), { whole: 'querystring' }), {
      field: 'querystring',
      message: 'must be one of: a, b',
    });
  });

  it('roots every path under a prefix (a task payload), nested paths joined with dots', () => {
    const payload = { prefix: 'payload' };
    const cases: [Issue, string, string][] = [
      [issue('/seconds', 'type', {}, 'must be number'), 'payload.seconds', 'must be number'],
      [
        issue('', 'additionalProperties', { additionalProperty: 'x' }),
        'payload.x',
        'unknown field "payload.x"',
      ],
      [issue('/options', 'required', { missingProperty: 'depth' }), 'payload.options.depth', 'is required'],
      [issue('/a/0/b', 'enum', { allowedValues: [1, 2] }), 'payload.a.0.b', 'must be one of: 1, 2'],
      [issue('', 'type', {}, 'must be object'), 'payload', 'must be object'],
    ];
    for (const [i, field, message] of cases) assert.deepEqual(mapped(i, payload), { field, message }, field);
  });

  it('minProperties below the root keeps the validator message; no message falls back to "is invalid"', () => {
    const nested = issue('/meta', 'minProperties', {}, 'must NOT have fewer than 1 properties');
    assert.deepEqual(mapped(nested), { field: 'meta', message: 'must NOT have fewer than 1 properties' });
    assert.deepEqual(mapped(issue('', 'type')), { field: 'body', message: 'is invalid' });
    assert.deepEqual(fieldErrors(null), []);
    assert.deepEqual(fieldErrors(undefined), []);
  });

  it("maps what the project's Ajv reports for a real schema", () => {
    const validate = createAjv().compile({
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: { enum: ['sleep', 'echo'] }, delay: { type: 'number' } },
    });
    assert.equal(validate({ type: 'mine', delay: 'soon', extra: 1 }), false);
    const errors = fieldErrors(validate.errors);
    assert.deepEqual(
      [...errors].sort((a, b) => a.field.localeCompare(b.field)),
      [
        { field: 'delay', message: 'must be number' },
        { field: 'extra', message: 'unknown field "extra"' },
        { field: 'type', message: 'must be one of: sleep, echo' },
      ],
    );
    assert.equal(summarise(errors.slice(0, 1)), `${errors[0]?.field}: ${errors[0]?.message}`);
  });
});
