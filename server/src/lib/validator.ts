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
    return { field: path.join('.') || whole, message: issue.message ?? 'is invalid' };
  });
}

/** The problem detail summing up field errors: `field: message; …`. */
export const describe = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`).join('; ');
