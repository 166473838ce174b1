import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../errors.js';

/** Ajv as the API's bodies use it: strict types, unknown fields kept (so they can be rejected). */
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

/** `{field, message}` for each schema error; `base` prefixes the field path (e.g. "payload"). */
export function toFieldErrors(errors: ErrorObject[] | null | undefined, base: string): FieldError[] {
  return (errors ?? []).map((e) => {
    const path = [base, ...e.instancePath.split('/').filter(Boolean)];
    if (e.keyword === 'additionalProperties') path.push(String(e.params.additionalProperty));
    if (e.keyword === 'required') path.push(String(e.params.missingProperty));
    const field = path.join('.');
    const message =
      e.keyword === 'additionalProperties'
        ? `unknown field "${field}"`
        : e.keyword === 'required'
          ? 'is required'
          : (e.message ?? 'is invalid');
    return { field, message };
  });
}
