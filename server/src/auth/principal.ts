/** Who is calling: resolved once per request from its bearer token, or anonymous without one. */
export type User = {
  kind: 'user';
  /** The issuer's stable identifier of the person (the token's `sub`). */
  sub: string;
  admin: boolean;
  /** When the token that says so expires (ms since the epoch); none for the service itself. */
  exp?: number;
};

export type Principal = { kind: 'anonymous' } | User;

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

export const isAdmin = (p: Principal): boolean => p.kind === 'user' && p.admin;

/** The caller's subject, or undefined when anonymous. */
export const subjectOf = (p: Principal): string | undefined => (p.kind === 'user' ? p.sub : undefined);

/** The service acting on its own account (a task doing what its submitter was allowed to ask). */
export const SYSTEM: User = Object.freeze({ kind: 'user', sub: 'system', admin: true });
