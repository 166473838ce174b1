import fp from 'fastify-plugin';
import { createAjv } from '../../lib/validator.js';

/**
 * Bodies are validated strictly (no type coercion, unknown fields refused rather than stripped);
 * query strings, params and headers are coerced from their string form.
 */
export const validationPlugin = fp(
  async (app) => {
    const body = createAjv(false);
    const other = createAjv('array');
    app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : other).compile(schema));
  },
  { name: 'validation' },
);
