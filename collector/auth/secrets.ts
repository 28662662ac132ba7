/**
 * PINs and personal tokens, stored only as hashes in the plant file.
 *
 * A PIN has few digits, so it is hashed with scrypt (memory-hard, salted):
 * `scrypt$N$r$p$<salt>$<hash>`. A personal token is long and random, so a
 * SHA-256 is enough and lets sign-in find its owner at once: `sha256$<hex>`.
 * `npm run hash-pin` prints both (scripts/hash-pin.ts).
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost: N = 2^14, r = 8, p = 1 (16 MiB, ~50 ms on a plant server). */
export const SCRYPT_PARAMS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

function scrypt(secret: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(secret, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))));
}

/** A PIN is 4–12 digits. */
export function isPin(pin: string): boolean {
  return /^\d{4,12}$/.test(pin);
}

export async function hashPin(pin: string, params: { N: number; r: number; p: number } = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, KEY_BYTES, { ...params, maxmem: 256 * params.N * params.r });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Checks a PIN against its stored hash in constant time; false for a malformed hash. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (!Number.isInteger(N) || N < 2 || N > 1 << 20 || expected.length === 0) return false;
  const key = await scrypt(pin, salt, expected.length, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 });
  return timingSafeEqual(key, expected);
}

/** `sha256$<hex>` of a personal token. */
export function hashToken(token: string): string {
  return `sha256$${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

/** A new personal token: 24 random bytes, URL-safe. */
export function newToken(): string {
  return `tkl_${randomBytes(24).toString('base64url')}`;
}
