/** Bearer-token checks, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpProblem } from './problem';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Holds the hashes of the accepted tokens, never compared by `===`. */
export class TokenSet {
  private readonly hashes: Buffer[];
  constructor(tokens: readonly string[]) {
    this.hashes = tokens.map(digest);
  }
  has(token: string): boolean {
    const candidate = digest(token);
    let found = false;
    // Compare against every token so the time taken does not tell which matched.
    for (const h of this.hashes) found = timingSafeEqual(h, candidate) || found;
    return found;
  }
}

/** The bearer token of a request, or null. */
export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] ?? null) : null;
}

/** Throws 401 without a token and 403 with a wrong one. */
export function requireToken(req: IncomingMessage, tokens: TokenSet, what: 'ingest' | 'admin'): void {
  const token = bearerToken(req);
  if (token === null) {
    throw new HttpProblem(401, 'unauthorized', `send 'Authorization: Bearer <${what} token>'`, {
      'www-authenticate': 'Bearer realm="taktline"',
    });
  }
  if (!tokens.has(token)) {
    throw new HttpProblem(403, 'forbidden', `the token is not a valid ${what} token for this collector`);
  }
}
