/**
 * Test doubles for the DOM tests: a WebSocket the test drives by hand, a
 * manual clock, and LineLive fixtures. Imported by *.test.ts only, never by
 * the app, so none of it ships.
 */
import type { LineLive, LiveServerMessage, StationLive } from '@core/live';
import type { ShiftLive } from '@core/kpi/shift-live';
import type { LiveClientTimers, WebSocketLike } from '../services/live-client';

/** A WebSocket whose server side is the test. */
export class FakeSocket implements WebSocketLike {
  static instances: FakeSocket[] = [];
  /** The most recently constructed socket. */
  static get last(): FakeSocket {
    const s = FakeSocket.instances.at(-1);
    if (!s) throw new Error('no socket was opened');
    return s;
  }
  static reset(): void {
    FakeSocket.instances = [];
  }

  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | null = null;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;

  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // Server side:
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(message: LiveServerMessage | string): void {
    const data = typeof message === 'string' ? message : JSON.stringify(message);
    this.onmessage?.({ data } as MessageEvent);
  }
  serverClose(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' } as CloseEvent);
  }
}

/** Timers that run only when the test advances the clock. */
export class ManualTimers implements LiveClientTimers {
  private tasks: { at: number; id: number; fn: () => void }[] = [];
  private nextId = 1;
  constructor(public time = 1_700_000_000_000) {}

  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.tasks.push({ at: this.time + Math.max(0, ms), id, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.tasks = this.tasks.filter((t) => t.id !== handle);
  }
  /** Pending timers. */
  get pending(): number {
    return this.tasks.length;
  }
  /** Moves the clock forward by `ms`, running every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.tasks.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.tasks[0];
      if (!next || next.at > end) break;
      this.tasks.shift();
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }
}

const HOUR = 3_600_000;

/** A LineLive for line A1 at `now`, three stations, with overrides. */
export function lineFixture(overrides: Partial<LineLive> = {}): LineLive {
  const now = overrides.now ?? 1_700_000_000_000;
  const hourStart = now - (now % HOUR);
  const station = (id: string, zh: string, en: string, s: Partial<StationLive> = {}): StationLive => ({
    id,
    name: { zh, en },
    state: 'running',
    since: now - 600_000,
    reason: null,
    lastCycleTime: 110,
    ...s,
  });
  return {
    line: 'A1',
    name: { zh: '总装 A1 线', en: 'Final assembly A1' },
    timeZone: 'Asia/Shanghai',
    targetPerHour: 30,
    taktTarget: 120,
    unitsThisHour: 7,
    hourStart,
    unitsPerHour: 28,
    lastUnitAt: now - 30_000,
    unitsTotal: 120,
    stations: [
      station('S01', '车身上线', 'Body load'),
      station('S02', '线束安装', 'Wire harness', { state: 'fault', since: now - 90_000, reason: 'E-stop' }),
      station('S03', '仪表板', 'Cockpit', { state: 'starved', since: null }),
    ],
    dataAt: now - 1000,
    now,
    receivedAt: now - 1000,
    shift: null,
    kpis: null,
    ...overrides,
  };
}

/** A running night shift at `now`, with overrides. */
export function shiftFixture(now: number, overrides: Partial<ShiftLive> = {}): ShiftLive {
  return {
    shift: { key: '2026-11-28/night', id: 'night', name: { zh: '夜班', en: 'Night shift' }, day: '2026-11-28', start: now - 3 * HOUR, end: now + 5 * HOUR },
    status: 'running',
    now,
    units: 56,
    goodUnits: 56,
    plannedSeconds: 9000,
    plannedSecondsTotal: 25800,
    plannedSecondsRemaining: 16800,
    planTotal: 215.2,
    planByNow: 87.6,
    gap: -31.6,
    catchUpRate: 34.1,
    currentRate: 28,
    rateBasis: 'trailing',
    forecast: 185.7,
    hourStart: now - (now % HOUR),
    hourPlan: 30,
    hourPlanByNow: 10,
    downNow: [],
    topDowntime: [],
    ...overrides,
  };
}
