import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorObject } from 'ajv';
import { ProfileCreate } from '../../src/api/schemas/profile.js';
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
        issue('/name', 'maxLength', { limit: 100 }, 'must NOT have more than 100 characters'),
        issue('', 'minProperties'),
      ],
      { whole: 'body' },
    );
    assert.deepEqual(errors, [
      { field: 'role', message: 'unknown field "role"' },
      { field: 'email', message: 'is required' },
      { field: 'name', message: 'must be at most 100 characters' },
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
      [issue('/seconds', 'type', { type: 'number' }), 'payload.seconds', 'must be a number'],
      [
        issue('', 'additionalProperties', { additionalProperty: 'x' }),
        'payload.x',
        'unknown field "payload.x"',
      ],
      [issue('/options', 'required', { missingProperty: 'depth' }), 'payload.options.depth', 'is required'],
      [issue('/a/0/b', 'enum', { allowedValues: [1, 2] }), 'payload.a.0.b', 'must be one of: 1, 2'],
      [issue('', 'type', { type: 'object' }), 'payload', 'must be an object'],
    ];
    for (const [i, field, message] of cases) assert.deepEqual(mapped(i, payload), { field, message }, field);
  });

  it('minProperties below the root counts fields; an unknown keyword without a message is "invalid"', () => {
    const nested = issue('/meta', 'minProperties', { limit: 2 }, 'must NOT have fewer than 2 properties');
    assert.deepEqual(mapped(nested), { field: 'meta', message: 'must have at least 2 fields' });
    assert.deepEqual(mapped(issue('', 'dependentRequired')), { field: 'body', message: 'is invalid' });
    assert.deepEqual(mapped(issue('', 'dependentRequired', {}, 'must have b')), {
      field: 'body',
      message: 'must have b',
    });
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
        { field: 'delay', message: 'must be a number' },
        { field: 'extra', message: 'unknown field "extra"' },
        { field: 'type', message: 'must be one of: sleep, echo' },
      ],
    );
    assert.equal(summarise(errors.slice(0, 1)), `${errors[0]?.field}: ${errors[0]?.message}`);
  });

  it("says what the profile schemas require as a person would, not in the validator's words", () => {
    const validate = createAjv().compile(ProfileCreate);
    const cases: [unknown, string, string][] = [
      [{ name: '', email: 'a@example.com' }, 'name', 'must not be empty'],
      [{ name: 'x'.repeat(101), email: 'a@example.com' }, 'name', 'must be at most 100 characters'],
      [{ name: 'Ada', email: 'ada' }, 'email', 'must be an email address'],
      [{ name: 'Ada', email: 'a@' }, 'email', 'must be at least 3 characters'],
      [
        { name: 'Ada', email: 'a@example.com', bio: 'a\u0000b' },
        'bio',
        'must not contain the NUL character (U+0000)',
      ],
      [{ name: 7, email: 'a@example.com' }, 'name', 'must be a string'],
    ];
    for (const [body, field, message] of cases) {
      assert.equal(validate(body), false);
      const said = fieldErrors(validate.errors).filter((e) => e.field === field);
      assert.ok(
        said.some((e) => e.message === message),
        `${field}: ${JSON.stringify(said)}`,
      );
      for (const e of said) assert.doesNotMatch(e.message, /must NOT|must match format|fewer than/);
    }
    const limits = createAjv().compile({ type: 'integer', minimum: 1, maximum: 100 });
    limits(0);
    assert.deepEqual(fieldErrors(limits.errors, { whole: 'limit' }), [
      { field: 'limit', message: 'must be at least 1' },
    ]);
    limits(1.5);
    assert.deepEqual(fieldErrors(limits.errors, { whole: 'limit' }), [
      { field: 'limit', message: 'must be a whole number' },
    ]);
  });
});
