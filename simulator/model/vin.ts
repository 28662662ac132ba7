/**
 * Vehicle identification numbers (ISO 3779 / FMVSS 115 layout): WMI (3),
 * descriptor (5), check digit (1), model year (1), plant (1), serial (6). The
 * check digit is computed the North-American way, so the VINs look right to
 * anyone who checks them.
 */

const VALUES: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8, J: 1, K: 2, L: 3, M: 4, N: 5,
  P: 7, R: 9, S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
/** Model-year codes from 2010 on (I, O, Q, U, Z and 0 are never used). */
const YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';

function value(ch: string): number {
  if (ch >= '0' && ch <= '9') return Number(ch);
  return VALUES[ch] ?? 0;
}

/** The check digit (position 9) of a 17-character VIN, '0'–'9' or 'X'. */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += value(vin[i] ?? '0') * (WEIGHTS[i] ?? 0);
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/** Five descriptor characters from a model id: VIN characters only, padded with 'X'. */
export function vinDescriptor(model: string): string {
  const cleaned = model.toUpperCase().replace(/[^A-HJ-NPR-Z0-9]/g, '');
  return (cleaned + 'XXXXX').slice(0, 5);
}

/** A full VIN for the given parts; `serial` is taken modulo 10^6. */
export function makeVin(wmi: string, model: string, year: number, plant: string, serial: number): string {
  const yearCode = YEAR_CODES[(((year - 2010) % 30) + 30) % 30] ?? 'A';
  const serialText = String(serial % 1_000_000).padStart(6, '0');
  const draft = `${wmi}${vinDescriptor(model)}0${yearCode}${plant}${serialText}`;
  return `${draft.slice(0, 8)}${vinCheckDigit(draft)}${draft.slice(9)}`;
}
