/**
 * `npm run hash-pin` prints what goes into the plant file for a person:
 *
 *   npm run hash-pin              asks for a PIN (4–12 digits) and prints its pinHash
 *   npm run hash-pin -- 1234      the same, PIN on the command line (it stays in the shell history)
 *   npm run hash-pin -- --token   makes a new personal token; prints the token (give it to the person) and its tokenHash
 *
 * The plant file keeps only the hash; the collector never stores a PIN or token.
 */
import { createInterface } from 'node:readline/promises';
import { hashPin, hashToken, isPin, newToken } from '../collector/auth/secrets';

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg === '--token') {
    const token = newToken();
    console.log(`token (give it to the person, it is not stored): ${token}`);
    console.log(`tokenHash: '${hashToken(token)}'`);
    return;
  }
  let pin = arg;
  if (pin === undefined) {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    pin = (await rl.question('PIN (4–12 digits): ')).trim();
    rl.close();
  }
  if (!isPin(pin)) {
    console.error('hash-pin: a PIN is 4 to 12 digits');
    process.exit(2);
  }
  console.log(`pinHash: '${await hashPin(pin)}'`);
}

void main();
