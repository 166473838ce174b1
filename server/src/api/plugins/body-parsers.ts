import type { FastifyBodyParser } from 'fastify';
import fp from 'fastify-plugin';
import { ERRORS } from '../../errors.js';
import { type JsonShapeIssue, jsonShapeIssue, MAX_JSON_DEPTH } from '../../lib/json-shape.js';

function shapeError(issue: JsonShapeIssue) {
  if (issue.kind === 'too_deep') {
    return ERRORS.badRequest(`The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep (the limit)`);
  }
  const field = issue.field || 'body';
  const message = 'must be well-formed Unicode (it holds a lone UTF-16 surrogate)';
  return ERRORS.validationFailed(`${field}: ${message}`, [{ field, message }]);
}

/**
 * The API speaks JSON: a text/plain body is a 415, not a string handed to the schema. Every JSON
 * body (plain or RFC 7396 merge patch) is parsed with prototype keys refused, then checked for
 * depth and well-formed strings before validation sees it.
 */
export const bodyParsersPlugin = fp(
  async (app) => {
    app.removeContentTypeParser('text/plain');
    const parseJson = app.getDefaultJsonParser('error', 'error');
    const parse: FastifyBodyParser<string> = (request, body, done) =>
      parseJson(request, body, (err, value) => {
        if (err) return done(err, undefined);
        const issue = jsonShapeIssue(value);
        return issue ? done(shapeError(issue), undefined) : done(null, value);
      });
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, parse);
    app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, parse);
  },
  { name: 'body-parsers' },
);
