import fp from 'fastify-plugin';

/** The API speaks JSON: a text/plain body is a 415, not a string handed to the schema. */
export const bodyParsersPlugin = fp(
  async (app) => {
    app.removeContentTypeParser('text/plain');
    // RFC 7396 merge patches are JSON objects too.
    app.addContentTypeParser(
      'application/merge-patch+json',
      { parseAs: 'string' },
      app.getDefaultJsonParser('error', 'error'),
    );
  },
  { name: 'body-parsers' },
);
