import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * The provider's signing key (ES256), made on first start. Kept in a file when the provider has a
 * data directory, so tokens issued before a restart still verify after it.
 */
export async function signingKeys(file: string | undefined): Promise<JWK[]> {
  if (file && existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { keys: JWK[] }).keys;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  const keys = [{ ...jwk, alg: 'ES256', use: 'sig', kid: `dev-${Date.now().toString(36)}` }];
  if (file) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify({ keys }), { mode: 0o600 });
  }
  return keys;
}
