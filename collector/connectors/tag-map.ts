/**
 * The tag map at work, whatever the transport: tag changes (an OPC UA data
 * change, a Sparkplug metric) become protocol-v1 events. Pure and
 * synchronous; the connector feeds it and sends what comes out through the
 * one ingest path. A value the map does not know is a {@link TagRejection}
 * with a reason, never an exception.
 *
 * - cycle counter: each increment is a `cycle` (several increments at once,
 *   e.g. after a reconnect, are spread evenly over the time since the last
 *   one); the first value seen is the baseline; a decrease is a counter reset.
 * - cycle time: the cycle-time tag when mapped, else the time between increments.
 * - state: PLC code → state via `state.map`; the fault code is the reason.
 * - unit serial, result, model: latched, sent with the next cycle.
 */
import { createHash } from 'node:crypto';
import type { StationEventInput } from '../../core/events';
import { UNIT_ID_PATTERN } from '../../core/events';
import type { StationTags } from '../../core/connectors';
import type { StationState, UnitResult } from '../../core/vocabulary';
import type { CounterMark } from './counter-marks';

/** One new value of one tag. */
export interface TagChange {
  /** NodeId or metric name, as in the tag map. */
  address: string;
  value: unknown;
  /** Source timestamp, epoch ms. */
  ts: number;
}

/** A tag value that did not become an event, and why. */
export interface TagRejection {
  code: 'unmapped_value' | 'invalid_value' | 'counter_jump';
  line: string;
  station: string;
  /** The tag map field (`state`, `cycleCounter`, …). */
  field: string;
  address: string;
  reason: string;
}

export interface TagOutcome {
  events: StationEventInput[];
  rejections: TagRejection[];
}

/** More increments than this at once are treated as a counter reset, not as missed cycles. */
export const MAX_CATCH_UP_CYCLES = 1000;

type Role = 'cycleCounter' | 'cycleTime' | 'state' | 'faultCode' | 'unit' | 'result' | 'unitResult' | 'model' | 'andon';
/** Latched tags are kept for the next event; the others emit. A serial written with the counter belongs to that cycle. */
const LATCHED: Record<Role, boolean> = { unit: true, result: true, unitResult: true, model: true, cycleTime: true, faultCode: true, state: false, andon: false, cycleCounter: false };

/** A number from a PLC value: numbers, bigints, booleans, and OPC UA 64-bit [high, low] pairs. */
export function plcNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return (value[0] as number) * 2 ** 32 + (value[1] as number);
  }
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

/** The text a value is looked up by in a code map: `5`, `true`, `FAULT`. */
export function plcCode(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  const n = plcNumber(value);
  return n === null ? String(value) : String(n);
}

const describe = (value: unknown) => {
  const text = typeof value === 'string' ? `'${value}'` : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

class StationMapper {
  private readonly stateMap: ReadonlyMap<string, StationState>;
  private readonly resultMap: ReadonlyMap<string, UnitResult | 'none'>;
  private readonly unitResultMap: ReadonlyMap<string, UnitResult | 'none'>;
  private counter: number | null = null;
  private counterTs = 0;
  private cycleTime: number | null = null;
  private unit: string | null = null;
  private result: UnitResult | null = null;
  private unitResult: UnitResult | null = null;
  private model: string | null = null;
  private faultCode: unknown = null;
  private andonPressed = false;

  constructor(
    readonly tags: StationTags,
    private readonly idPrefix: string,
  ) {
    // PLC codes are keys the plant file controls: a Map, never a plain object lookup.
    this.stateMap = new Map(Object.entries(tags.state?.map ?? {}));
    this.resultMap = new Map(Object.entries(tags.result?.map ?? {}));
    this.unitResultMap = new Map(Object.entries(tags.unitResult?.map ?? {}));
  }

  /** The counter's last value and its source time, read from which tag; null before its first value. */
  counterMark(): CounterMark | null {
    const { line, station, cycleCounter } = this.tags;
    return cycleCounter === undefined || this.counter === null ? null : { line, station, address: cycleCounter, value: this.counter, ts: this.counterTs };
  }

  /**
   * An earlier run's mark as the baseline, so the first value read counts the
   * increments since as cycles. Not taken when the station reads its counter
   * from another tag now, or once a value was read.
   */
  restoreCounter(mark: CounterMark): boolean {
    if (mark.address !== this.tags.cycleCounter || this.counter !== null) return false;
    this.counter = mark.value;
    this.counterTs = mark.ts;
    return true;
  }

  roles(): [string, Role][] {
    const t = this.tags;
    const out: [string, Role][] = [];
    const add = (address: string | undefined, role: Role) => {
      if (address !== undefined) out.push([address, role]);
    };
    add(t.cycleCounter, 'cycleCounter');
    add(t.cycleTime, 'cycleTime');
    add(t.state?.tag, 'state');
    add(t.state?.faultCode, 'faultCode');
    add(t.unit, 'unit');
    add(t.result?.tag, 'result');
    add(t.model, 'model');
    add(t.unitResult?.tag, 'unitResult');
    add(t.andon?.tag, 'andon');
    return out;
  }

  apply(role: Role, change: TagChange, out: TagOutcome): void {
    const { line, station } = this.tags;
    const reject = (code: TagRejection['code'], field: string, reason: string) =>
      out.rejections.push({ code, line, station, field, address: change.address, reason });
    switch (role) {
      case 'unit': {
        if (change.value === null || change.value === undefined || change.value === '') {
          this.unit = null;
          return;
        }
        const serial = typeof change.value === 'string' ? change.value.trim() : plcCode(change.value);
        if (!UNIT_ID_PATTERN.test(serial)) {
          this.unit = null;
          reject('invalid_value', 'unit', `unit serial ${describe(change.value)} is not 1–64 letters, digits, '_', '.', ':', '/' or '-'; the next cycle is sent without a unit`);
          return;
        }
        this.unit = serial;
        return;
      }
      case 'model': {
        const model = typeof change.value === 'string' ? change.value.trim() : '';
        this.model = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(model) ? model : null;
        return;
      }
      case 'result': {
        const code = plcCode(change.value);
        const result = this.resultMap.get(code);
        if (result === undefined) {
          this.result = null;
          reject('unmapped_value', 'result', `result code ${describe(change.value)} is not in result.map (mapped: ${[...this.resultMap.keys()].join(', ')})`);
          return;
        }
        this.result = result === 'none' ? null : result;
        return;
      }
      case 'unitResult': {
        const code = plcCode(change.value);
        const result = this.unitResultMap.get(code);
        if (result === undefined) {
          this.unitResult = null;
          reject('unmapped_value', 'unitResult', `unit result code ${describe(change.value)} is not in unitResult.map (mapped: ${[...this.unitResultMap.keys()].join(', ')})`);
          return;
        }
        this.unitResult = result === 'none' ? null : result;
        return;
      }
      case 'cycleTime': {
        const seconds = plcNumber(change.value);
        if (seconds === 0) {
          // A PLC's initial value before its first cycle: no cycle time yet, nothing wrong.
          this.cycleTime = null;
          return;
        }
        if (seconds === null || seconds <= 0 || seconds > 86_400) {
          this.cycleTime = null;
          reject('invalid_value', 'cycleTime', `cycle time ${describe(change.value)} is not a number of seconds between 0 and 86400; the time between counter increments is used`);
          return;
        }
        this.cycleTime = seconds;
        return;
      }
      case 'faultCode':
        this.faultCode = change.value;
        return;
      case 'state': {
        const code = plcCode(change.value);
        const state = this.stateMap.get(code);
        if (state === undefined) {
          reject('unmapped_value', 'state', `state code ${describe(change.value)} is not in state.map (mapped: ${[...this.stateMap.keys()].join(', ')}): add it to the tag map`);
          return;
        }
        const reason = state === 'fault' || state === 'maintenance' ? this.faultReason(code) : null;
        out.events.push({
          type: 'state',
          ts: change.ts,
          line,
          station,
          state,
          ...(reason !== null ? { reason } : {}),
          id: `${this.idPrefix}:s${code.slice(0, 16)}@${change.ts}`,
        });
        return;
      }
      case 'andon': {
        const pressed = (plcNumber(change.value) ?? 0) !== 0;
        const rising = pressed && !this.andonPressed;
        this.andonPressed = pressed;
        // A press raises one call (the rising edge); holding or releasing the button does not raise another.
        if (rising) {
          out.events.push({
            type: 'andon',
            ts: change.ts,
            line,
            station,
            kind: this.tags.andon?.kind ?? 'maintenance',
            action: 'raise',
            id: `${this.idPrefix}:a@${change.ts}`,
          });
        }
        return;
      }
      case 'cycleCounter':
        this.onCounter(change, out, reject);
        return;
    }
  }

  private faultReason(stateCode: string): string | null {
    const fault = this.faultCode;
    if (fault === null || fault === undefined) return `PLC state ${stateCode}`.slice(0, 200);
    if (typeof fault === 'string') {
      // Free text ends up as a field: strip control characters, bound the length.
      const text = fault.replace(/[\p{Cc}\p{Cs}]/gu, ' ').trim().slice(0, 200);
      return text === '' ? `PLC state ${stateCode}` : text;
    }
    const n = plcNumber(fault);
    return n === null || n === 0 ? `PLC state ${stateCode}` : `PLC fault ${n}`;
  }

  private onCounter(change: TagChange, out: TagOutcome, reject: (code: TagRejection['code'], field: string, reason: string) => void): void {
    const value = plcNumber(change.value);
    if (value === null || !Number.isInteger(value)) {
      reject('invalid_value', 'cycleCounter', `cycle counter ${describe(change.value)} is not a whole number`);
      return;
    }
    const previous = this.counter;
    const previousTs = this.counterTs;
    this.counter = value;
    this.counterTs = change.ts;
    if (previous === null || value <= previous) return; // baseline, repeat, or a counter reset
    const increments = value - previous;
    if (increments > MAX_CATCH_UP_CYCLES) {
      reject('counter_jump', 'cycleCounter', `cycle counter jumped by ${increments} (from ${previous} to ${value}): treated as a reset, no cycles sent`);
      return;
    }
    const { line, station } = this.tags;
    const span = Math.max(0, change.ts - previousTs);
    const spacing = span / increments;
    for (let i = 1; i <= increments; i += 1) {
      const last = i === increments;
      const ts = last ? change.ts : Math.round(previousTs + spacing * i);
      // The PLC's own cycle time belongs to the last cycle; earlier ones (missed while away) get the average.
      const seconds = last && this.cycleTime !== null ? this.cycleTime : Math.max(0.001, Math.round(spacing) / 1000);
      const count = previous + i;
      out.events.push({
        type: 'cycle',
        ts,
        line,
        station,
        cycleTime: Math.min(seconds, 86_400),
        ...(last && this.unit !== null ? { unit: this.unit } : {}),
        ...(last && this.result !== null ? { result: this.result } : {}),
        id: `${this.idPrefix}:c${count}@${ts}`,
      });
      if (last && this.tags.completesUnit === true && this.unit !== null) {
        const result = this.tags.unitResult !== undefined ? this.unitResult : this.result;
        out.events.push({
          type: 'unit',
          ts,
          line,
          unit: this.unit,
          ...(this.model !== null ? { model: this.model } : {}),
          ...(result !== null ? { result } : {}),
          id: `${this.idPrefix}:u${count}@${ts}`,
        });
      }
    }
  }
}

/** Event ids are at most 128 characters: a long source/line/station name is shortened to a stable hash. */
function idPrefix(name: string): string {
  return name.length <= 80 ? name : `h${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

/** The tag maps of one source (an OPC UA server, a Sparkplug edge node). */
export class TagMap {
  private readonly byAddress = new Map<string, [StationMapper, Role][]>();
  private readonly mappers: StationMapper[];

  /** @param source names the source in event ids, so a resend after a reconnect is dropped as a repeat */
  constructor(stations: readonly StationTags[], source: string) {
    this.mappers = stations.map((tags) => new StationMapper(tags, idPrefix(`${source}:${tags.line}.${tags.station}`)));
    for (const mapper of this.mappers) {
      for (const [address, role] of mapper.roles()) {
        const list = this.byAddress.get(address) ?? [];
        list.push([mapper, role]);
        this.byAddress.set(address, list);
      }
    }
  }

  /** Every address the map reads, once. */
  addresses(): string[] {
    return [...this.byAddress.keys()];
  }

  /** Where every counter stands now (stations whose counter has a value). */
  counterMarks(): CounterMark[] {
    return this.mappers.flatMap((m) => m.counterMark() ?? []);
  }

  /** Takes an earlier run's marks as the counters' baselines; returns how many were taken. */
  restoreCounters(marks: readonly CounterMark[]): number {
    let taken = 0;
    for (const mark of marks) {
      const mapper = this.mappers.find((m) => m.tags.line === mark.line && m.tags.station === mark.station);
      if (mapper?.restoreCounter(mark)) taken += 1;
    }
    return taken;
  }

  /**
   * Turns changes into events. The values of one tag keep their arrival order (even when a PLC's
   * clock steps back); across tags the earlier source timestamp goes first, and at the same instant
   * a latched tag (serial, result, cycle time, model, fault code) goes before a counter or state, so
   * a serial written with the counter belongs to that cycle — also when one publish carries several.
   */
  apply(changes: readonly TagChange[]): TagOutcome {
    const out: TagOutcome = { events: [], rejections: [] };
    const queues = new Map<string, { change: TagChange; n: number }[]>();
    changes.forEach((change, n) => {
      if (!this.byAddress.has(change.address)) return;
      const queue = queues.get(change.address) ?? [];
      queue.push({ change, n });
      queues.set(change.address, queue);
    });
    const heads = [...queues.entries()].map(([address, queue]) => ({
      queue,
      at: 0,
      targets: this.byAddress.get(address) ?? [],
      latched: (this.byAddress.get(address) ?? []).every(([, role]) => LATCHED[role]),
    }));
    // A merge of the per-tag queues by (timestamp, latched first, arrival).
    for (;;) {
      let best: (typeof heads)[number] | null = null;
      for (const h of heads) {
        const item = h.queue[h.at];
        if (!item) continue;
        const current = best?.queue[best.at];
        if (!best || !current) {
          best = h;
          continue;
        }
        const byTs = item.change.ts - current.change.ts;
        const byKind = Number(!h.latched) - Number(!best.latched);
        if (byTs < 0 || (byTs === 0 && (byKind < 0 || (byKind === 0 && item.n < current.n)))) best = h;
      }
      const item = best?.queue[best.at];
      if (!best || !item) break;
      best.at += 1;
      for (const [mapper, role] of best.targets) mapper.apply(role, item.change, out);
    }
    return out;
  }
}
