import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../errors.js';

/**
 * The one way the API validates: all errors reported, unknown fields kept (so they can be refused, not
 * silently stripped), defaults applied. Bodies get no type coercion; query strings, params and
 * headers are coerced from their string form (`coerceTypes: 'array'`).
 */
export function createAjv(coerceTypes: boolean | 'array' = false): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false,
    useDefaults: true,
    strict: false,
    coerceTypes,
  });
  addFormats.default(ajv);
  return ajv;
}

type Issue = Pick<ErrorObject, 'instancePath' | 'keyword' | 'message' | 'params'>;

/**
 * `{field, message}` for each schema error, naming unknown and missing fields explicitly. `prefix`
 * roots the paths (a task's `payload`); `whole` names the value itself when an error is about all of
 * it (the request part: `body`, `querystring`…).
 */
export function fieldErrors(
  issues: readonly Issue[] | null | undefined,
  { prefix, whole = 'body' }: { prefix?: string; whole?: string } = {},
): FieldError[] {
  return (issues ?? []).map((issue) => {
    const path = [prefix, ...issue.instancePath.split('/').filter(Boolean)].filter(Boolean) as string[];
    const named = (key: unknown) => [...path, String(key)].join('.');
    switch (issue.keyword) {
      case 'additionalProperties': {
        const field = named(issue.params.additionalProperty);
        return { field, message: `unknown field "${field}"` };
      }
      case 'required':
        return { field: named(issue.params.missingProperty), message: 'is required' };
      case 'minProperties':
        if (path.length === 0) return { field: whole, message: 'must contain at least one field' };
        break;
      case 'enum':
        return {
          field: path.join('.') || whole,
          message: `must be one of: ${(issue.params.allowedValues as unknown[]).join(', ')}`,
        };
    }
    return { field: path.join('.') || whole, message: said(issue) };
  });
}

const TYPES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

const FORMATS: Record<string, string> = {
  email: 'an email address',
  uuid: 'a UUID',
  'date-time': 'a date and time (RFC 3339)',
  uri: 'a URI',
};

const plural = (n: unknown, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * What a schema error says, as a person would say it: these messages reach forms and the people
 * reading them, where the validator's own (`must NOT have fewer than 1 characters`) would not do.
 */
function said({ keyword, params, message }: Issue): string {
  const limit = params.limit as unknown;
  switch (keyword) {
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${plural(limit, 'character')}`;
    case 'maxLength':
      return `must be at most ${plural(limit, 'character')}`;
    case 'minItems':
      return `must have at least ${plural(limit, 'item')}`;
    case 'maxItems':
      return `must have at most ${plural(limit, 'item')}`;
    case 'minProperties':
      return `must have at least ${plural(limit, 'field')}`;
    case 'minimum':
      return `must be at least ${limit}`;
    case 'maximum':
      return `must be at most ${limit}`;
    case 'exclusiveMinimum':
      return `must be more than ${limit}`;
    case 'exclusiveMaximum':
      return `must be less than ${limit}`;
    case 'type': {
      const types = [params.type as string | string[]].flat();
      return `must be ${types.map((t) => TYPES[t] ?? t).join(' or ')}`;
    }
    case 'format':
      return `must be ${FORMATS[params.format as string] ?? `a valid ${params.format}`}`;
    case 'pattern':
      // Text fields carry a pattern only to refuse U+0000, which PostgreSQL cannot store.
      return String(params.pattern).includes('\\u0000')
        ? 'must not contain the NUL character (U+0000)'
        : 'is not in the accepted form';
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
  }
  return message ?? 'is invalid';
}

/** The problem detail summing up field errors: `field: message; …`. */
export const describe = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`).join('; ');
