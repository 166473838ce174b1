// The security headers and CORS on every kind of answer: a read, a refusal, a preflight.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suiteApp } from '../kit/app.js';

const ORIGIN = 'https://app.example.com';

describe('security headers and CORS', () => {
  const t = suiteApp({ env: { CORS_ORIGINS: ORIGIN } });

  const helmetHeaders = (headers: Record<string, unknown>) => ({
    // Directive by directive: their order is helmet's business.
    csp: String(headers['content-security-policy']).split(';').sort(),
    nosniff: headers['x-content-type-options'],
    frame: headers['x-frame-options'],
    corp: headers['cross-origin-resource-policy'],
    hsts: typeof headers['strict-transport-security'],
    poweredBy: headers['x-powered-by'],
  });
  const expected = {
    csp: [
      "base-uri 'self'",
      "connect-src 'self'",
      "default-src 'self'",
      "font-src 'self' https: data:",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "img-src 'self' data:",
      "object-src 'none'",
      "script-src 'self'",
      "script-src-attr 'none'",
      "style-src 'self' 'unsafe-inline'",
      'upgrade-insecure-requests',
    ],
    nosniff: 'nosniff',
    frame: 'SAMEORIGIN',
    corp: 'cross-origin',
    hsts: 'string',
    poweredBy: undefined,
  };

  it('a read and a refusal carry the same security headers', async () => {
    for (const url of ['/api/v1/profiles', '/api/v1/profiles/not-a-uuid', '/nowhere']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.deepEqual(helmetHeaders(res.headers), expected, `${url} (${res.statusCode})`);
    }
  });

  it('CORS answers the allowed origin only, with the exposed headers', async () => {
    const allowed = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles',
      headers: { origin: ORIGIN },
    });
    assert.equal(allowed.headers['access-control-allow-origin'], ORIGIN);
    assert.match(String(allowed.headers['access-control-expose-headers']), /ETag.*Idempotent-Replayed/);
    const other = await t.app.inject({
      method: 'GET',
      url: '/api/v1/profiles',
      headers: { origin: 'https://evil.example.com' },
    });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/api/v1/profiles',
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.match(String(preflight.headers['access-control-allow-headers']), /Idempotency-Key/);
  });
});
