/**
 * People of the plant file: who they are, their role, the lines and stations
 * they answer for, how they sign in (a PIN or a personal token, stored only
 * as a hash) and where they are told of calls. Validated with a reason per
 * field; the collector verifies the hashes (collector/auth/secrets.ts).
 */
import { z } from 'zod';
import { ROLES } from './andon/roles';
import { IDENTIFIER_PATTERN } from './events';

/** `scrypt$N$r$p$<salt base64>$<hash base64>`, as `npm run hash-pin` prints it. */
export const PIN_HASH_PATTERN = /^scrypt\$\d{1,8}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/;
/** `sha256$<64 hex>`: personal tokens are long and random, so a fast hash is enough (`npm run hash-pin -- --token`). */
export const TOKEN_HASH_PATTERN = /^sha256\$[0-9a-f]{64}$/;

const id = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, {
    error: `${what} must be 1–64 characters of letters, digits, '_', '.' or '-'`,
  });

export const PersonConfig = z.strictObject({
  id: id('person id'),
  name: z
    .string({ error: 'name must be a string' })
    .min(1, { error: 'name must not be empty' })
    .max(80, { error: 'name must be at most 80 characters' })
    .regex(/^[^\p{Cc}\p{Cs}]*$/u, { error: 'name must not contain control characters' }),
  role: z.enum(ROLES, { error: `role must be one of ${ROLES.join(', ')}` }),
  /** Lines this person answers for; empty or absent: every line. */
  lines: z.array(id('line id')).max(100).default([]),
  /** Stations this person answers for (on those lines); empty or absent: every station. */
  stations: z.array(id('station id')).max(500).default([]),
  pinHash: z.string().regex(PIN_HASH_PATTERN, { error: "pinHash must be 'scrypt$N$r$p$salt$hash' as printed by npm run hash-pin; never the PIN itself" }).optional(),
  tokenHash: z.string().regex(TOKEN_HASH_PATTERN, { error: "tokenHash must be 'sha256$<64 hex digits>' as printed by npm run hash-pin -- --token" }).optional(),
  /** Where this person is told of calls that reach their role. */
  notify: z
    .strictObject({
      email: z.email({ error: 'notify.email must be an e-mail address' }).max(200).optional(),
      /** Mobile number to @-mention in WeCom and DingTalk group robot messages. */
      mobile: z.string().regex(/^\+?\d{5,20}$/, { error: 'notify.mobile must be a phone number of digits, optionally starting with +' }).optional(),
    })
    .default({}),
});
export type PersonConfig = z.infer<typeof PersonConfig>;

export const PeopleConfig = z.array(PersonConfig).max(10_000);
export type PeopleConfig = z.infer<typeof PeopleConfig>;

/** Whether a person answers for a line (and station, when given). */
export function answersFor(person: Pick<PersonConfig, 'lines' | 'stations'>, line: string, station: string | null): boolean {
  if (person.lines.length > 0 && !person.lines.includes(line)) return false;
  if (station !== null && person.stations.length > 0 && !person.stations.includes(station)) return false;
  return true;
}
