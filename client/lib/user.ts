/** Who is signed in, as the page knows it: the ID token's claims and the admin role, no token. */
export type User = { sub: string; name: string; email: string; admin: boolean };
