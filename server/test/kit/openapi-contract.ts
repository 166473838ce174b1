// A contract check against the API's own OpenAPI document: a response is one the document declares
// for its operation (the status), in a media type it declares for that status, with the headers it
// declares as always sent. What Portman-style contract tests check, from inside the test suite.
import assert from 'node:assert/strict';

type Doc = { paths: Record<string, Record<string, Operation>> };
type Operation = {
  operationId?: string;
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
};
type Answer = { statusCode: number; headers: Record<string, unknown>; body: string };

/** `/api/v1/profiles/{id}` → a regex matching its concrete paths. */
const templateRegex = (template: string) =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`);

export function openapiContract(doc: unknown) {
  const paths = (doc as Doc).paths;
  const templates = Object.keys(paths).map((t) => ({ t, re: templateRegex(t) }));
  // A literal path (/api/v1/tasks/delayed) wins over a template that also matches it (/{id}).
  const params = (t: string) => t.split('{').length - 1;
  templates.sort((a, b) => params(a.t) - params(b.t));

  function operationOf(method: string, url: string): Operation {
    const path = url.split('?')[0] ?? url;
    const found = templates.find(({ t, re }) => re.test(path) && paths[t]?.[method.toLowerCase()]);
    assert.ok(found, `the document has an operation for ${method} ${path}`);
    return paths[found.t]?.[method.toLowerCase()] as Operation;
  }

  return {
    operationOf,
    /** Asserts that the answer is one the document declares. */
    check(method: string, url: string, res: Answer) {
      const op = operationOf(method, url);
      const status = String(res.statusCode);
      const declared = op.responses[status];
      assert.ok(
        declared,
        `${op.operationId}: ${status} is declared (${Object.keys(op.responses).join(', ')})`,
      );
      if (res.body.length > 0 && method !== 'HEAD') {
        const type =
          String(res.headers['content-type'] ?? '')
            .split(';')[0]
            ?.trim() ?? '';
        const types = Object.keys(declared.content ?? {});
        assert.ok(
          types.some((t) => t === type || (t.endsWith('/*') && type.startsWith(t.slice(0, -1)))),
          `${op.operationId} ${status}: ${type} is declared (${types.join(', ')})`,
        );
      }
      for (const name of Object.keys(declared.headers ?? {})) {
        // The headers the document promises on every such response (those a route sets only
        // sometimes, like Link on a last page, say so and are not checked here).
        if (['X-Request-Id', 'ETag', 'Location', 'WWW-Authenticate'].includes(name)) {
          assert.ok(res.headers[name.toLowerCase()], `${op.operationId} ${status}: ${name} is sent`);
        }
      }
    },
  };
}
