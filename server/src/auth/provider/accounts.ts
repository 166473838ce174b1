import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Development accounts: anyone may sign in with any email. The subject is a hash of the email, so
 * a sub that reaches a log or a database row says nothing about the person. The emails seen are kept
 * (in memory, and in a file when the provider has a data directory) to answer for those subjects.
 */
export function createDevAccounts(opts: { adminEmail: string; file?: string | undefined }) {
  const emails = new Map<string, string>();
  if (opts.file && existsSync(opts.file)) {
    for (const [sub, email] of Object.entries(JSON.parse(readFileSync(opts.file, 'utf8')) as object))
      emails.set(sub, String(email));
  }
  const save = () => {
    if (!opts.file) return;
    mkdirSync(dirname(opts.file), { recursive: true });
    writeFileSync(opts.file, JSON.stringify(Object.fromEntries(emails)), { mode: 0o600 });
  };
  const adminEmail = opts.adminEmail.toLowerCase();

  return {
    adminEmail,
    /** The subject of an email, remembered for the claims asked of it later. */
    signIn(email: string): string {
      const normalised = email.trim().toLowerCase();
      const sub = `dev-${createHash('sha256').update(normalised).digest('base64url').slice(0, 22)}`;
      if (emails.get(sub) !== normalised) {
        emails.set(sub, normalised);
        save();
      }
      return sub;
    },
    claimsOf(sub: string): { email?: string; name?: string; roles: string[] } {
      const email = emails.get(sub);
      if (!email) return { roles: [] };
      const local = email.split('@')[0] ?? email;
      const name = local.replace(/[._-]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase());
      return { email, name, roles: email === adminEmail ? ['profile-admin'] : [] };
    },
  };
}

export type DevAccounts = ReturnType<typeof createDevAccounts>;
