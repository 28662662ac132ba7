/** Building InfluxQL safely: literals are escaped even though identifiers are validated upstream. */

/** A single-quoted InfluxQL string literal. */
export function stringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A time literal in epoch milliseconds. */
export function msLiteral(ts: number): string {
  if (!Number.isFinite(ts)) throw new Error(`not a time: ${ts}`);
  return `${Math.trunc(ts)}ms`;
}
