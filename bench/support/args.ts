/** Command-line options of the benchmarks: `--name value`, checked. */

/** A positive whole number given as `--name N`, or `fallback`. */
export function intOption(name: string, fallback: number, argv: readonly string[] = process.argv.slice(2)): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} takes a positive whole number`);
  return value;
}

/** A whole number, zero or more, given as `--name N`, or `fallback`. */
export function countOption(name: string, fallback: number, argv: readonly string[] = process.argv.slice(2)): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number, 0 or more`);
  return value;
}

/** A positive number given as `--name X`, or `fallback`. */
export function numberOption(name: string, fallback: number, argv: readonly string[] = process.argv.slice(2)): number {
  const i = argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`--${name} takes a positive number`);
  return value;
}

/** Positive whole numbers given as `--name 1000,5000`, or `fallback`. */
export function intListOption(name: string, fallback: readonly number[], argv: readonly string[] = process.argv.slice(2)): number[] {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return [...fallback];
  const values = String(argv[i + 1] ?? '').split(',').map(Number);
  if (values.length === 0 || values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`--${name} takes positive whole numbers separated by commas`);
  return values;
}
