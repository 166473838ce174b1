// Cookie values only this server can read or make: a JWE (dir, A256GCM) under a key derived from
// SESSION_SECRET, expiring with the cookie. Pure, so the tests can read and forge sessions.
import { hkdfSync } from 'node:crypto';
import { EncryptJWT, type JWTPayload, jwtDecrypt } from 'jose';

// One key per purpose, so a login-flow cookie can never be replayed as a session.
const keyOf = (secret: string, purpose: string) =>
  new Uint8Array(hkdfSync('sha256', secret, 'profile-web', purpose, 32));

export async function seal(payload: JWTPayload, secret: string, purpose: string, ttlSec: number) {
  return new EncryptJWT(payload)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSec)
    .encrypt(keyOf(secret, purpose));
}

/** The payload, or undefined for anything forged, tampered with, expired or sealed under another key. */
export async function unseal<T>(value: string, secret: string, purpose: string): Promise<T | undefined> {
  try {
    const { payload } = await jwtDecrypt(value, keyOf(secret, purpose), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    return payload as T;
  } catch {
    return undefined;
  }
}
