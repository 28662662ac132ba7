/**
 * Work in progress between stations from their cycles: a unit a station
 * finishes enters the buffer after it, and leaves it when the next station
 * finishes it. Over an interval, cycles(i) − cycles(i + 1) is how much the
 * buffer after station i (with the unit in station i + 1) grew; a negative
 * change means it drained, giving the line units built before the interval —
 * the usual reason for a performance above 100 %.
 */

export interface BufferChange {
  /** The station the buffer follows. */
  after: string;
  /** Units in at the station's end minus units out at the next station's end; negative: drained. */
  change: number;
}

/** Net change of every buffer, in flow order, from cycle counts per station. */
export function bufferChanges(stations: readonly string[], cycles: (station: string) => number): BufferChange[] {
  const out: BufferChange[] = [];
  for (let i = 0; i + 1 < stations.length; i += 1) {
    const a = stations[i] as string;
    const b = stations[i + 1] as string;
    out.push({ after: a, change: cycles(a) - cycles(b) });
  }
  return out;
}

/** A negative count with a minus sign (−4), not a hyphen. */
const minus = (n: number): string => (n < 0 ? `\u2212${-n}` : String(n));

/**
 * The buffers after `constraint` that drained most (at most three), as text: `after S05 −4, after S06 −2`;
 * null when none drained. Only those explain more output than the constraint's time allows: a buffer
 * before it that drains feeds the constraint, which still makes no more than its own time gives.
 * `constraint` null (none known): every buffer.
 */
export function drainedText(changes: readonly BufferChange[], constraint: string | null): { zh: string; en: string } | null {
  const from = constraint === null ? 0 : changes.findIndex((c) => c.after === constraint);
  // A constraint that no buffer follows is the last station: no buffer is after it.
  const after = from < 0 ? [] : changes.slice(from);
  const drained = after.filter((c) => c.change < 0).sort((a, b) => a.change - b.change).slice(0, 3);
  if (drained.length === 0) return null;
  return {
    zh: drained.map((c) => `${c.after} 之后 ${minus(c.change)} 台`).join('、'),
    en: drained.map((c) => `after ${c.after} ${minus(c.change)}`).join(', '),
  };
}
