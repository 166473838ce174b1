import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { DevAccounts } from './accounts.js';

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(uid: string, adminEmail: string, error?: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Profile Service (development)</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem;color:#1b1f24}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1rem;font:inherit}.note{color:#57606a;font-size:.9rem}.error{color:#b42318}</style></head>
<body><main><h1>Sign in</h1>
<p class="note">Development identity provider: any email signs in, no password. ${escapeHtml(adminEmail)} is the administrator.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required autofocus>
<button type="submit">Sign in</button></form></main></body></html>`;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 4096) break;
  }
  return new URLSearchParams(body);
}

type Details = Awaited<ReturnType<Provider['interactionDetails']>>;

/** First-party clients only: what they ask for (scopes, claims, the API) is granted without asking. */
async function grantAll(provider: Provider, details: Details): Promise<string> {
  const { prompt, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) });
  if (!grant) throw new Error('the grant of this sign-in is gone');
  const missing = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  return grant.save();
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,}$/;

/** The sign-in step of the provider's authorization flow: a page that takes an email. */
export async function handleInteraction(
  provider: Provider,
  accounts: DevAccounts,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [, , uid, action] = url.pathname.split('/');
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) throw new Error('interaction mismatch');
  if (details.prompt.name === 'consent') {
    await provider.interactionFinished(
      req,
      res,
      { consent: { grantId: await grantAll(provider, details) } },
      {
        mergeWithLastSubmission: true,
      },
    );
    return;
  }
  if (req.method === 'POST' && action === 'login') {
    const email = (await formBody(req)).get('email')?.trim() ?? '';
    if (!EMAIL.test(email)) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page(details.uid, accounts.adminEmail, 'Enter an email address.'));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: accounts.signIn(email) } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(page(details.uid, accounts.adminEmail));
}
