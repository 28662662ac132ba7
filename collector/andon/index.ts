/**
 * Andon, assembled for the composition root: sessions, the call service,
 * the notifier and its outbox, the escalation and rule timer, and the routes.
 * app.ts creates it, hands it every durable event, and starts and closes it.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { andonKpis, type AndonKpis } from '../../core/andon/kpi';
import type { LineSnapshot } from '../../core/andon/rules';
import type { AndonCallView, AuditEntry } from '../../core/andon/types';
import { materialRisks, type MaterialRiskAlert } from '../../core/cluster/material-risk';
import type { StationEvent } from '../../core/events';
import { registerSessionRoutes } from '../auth/routes';
import { SessionStore } from '../auth/sessions';
import type { CollectorConfig } from '../config';
import type { Router } from '../http/router';
import { redactUserInfo } from '../http/safe-url';
import type { EventStore } from '../influx/store';
import type { IngestPipeline } from '../ingest/pipeline';
import type { LineBoard } from '../live/board';
import { OutboxNotifier } from '../notify/notifier';
import type { PartnerRoutes } from '../partners/routes';
import { readAndonHistory } from './history';
import { readCallEvents, readRuleEdits, readStationAndonEvents } from './queries';
import { registerAndonRoutes } from './routes';
import { AndonService } from './service';

const DAY_MS = 86_400_000;
/** Material-risk alerts are read from InfluxDB this often, ms: partners report in minutes, not seconds. */
const MATERIAL_REFRESH_MS = 30_000;
/** How often InfluxDB is asked again for the calls it holds when it could not answer at start, ms. */
const RETRY_READ_MS = 30_000;
/** How often calls older than the history window are forgotten, ms. */
const PRUNE_EVERY_MS = 3_600_000;
/** Pull cords of the last hour are replayed at start (a crash between a cord and its call step). */
const CORD_REPLAY_MS = 3_600_000;

export interface AndonDeps {
  config: CollectorConfig;
  store: EventStore;
  board: LineBoard;
  /** The ingest pipeline (its spool takes the call steps). */
  pipeline: () => IngestPipeline;
  /** Lines whose live view changed. */
  linesChanged: (lines: Iterable<string>) => void;
  /** Wall clock, epoch ms. */
  clock: () => number;
  log?: (message: string) => void;
}

export interface Andon {
  service: AndonService;
  notifier: OutboxNotifier;
  sessions: SessionStore;
  /** Durable events in; the line's data events (all but call steps) out, for the live board. */
  observe(events: readonly StationEvent[]): StationEvent[];
  /** `moreAudit`: other parts' changes (stop classifications) for GET /api/v1/audit. */
  register(router: Router, partners: PartnerRoutes, moreAudit?: (line: string, from: number, to: number) => AuditEntry[]): void;
  /** MTTA and MTTR of the calls raised in [from, to) on a line. */
  kpis(line: string, from: number, to: number): Promise<AndonKpis>;
  /** The calls raised in [from, to) on a line, from memory or InfluxDB (the shift report lists them). */
  calls(line: string, from: number, to: number): Promise<AndonCallView[]>;
  metricsText(): string;
  /** Runs the escalation and rule checks once (the timer does this every tickMs). */
  tick(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export function createAndon(deps: AndonDeps): Andon {
  const { config, store, board, clock } = deps;
  const write = deps.log ?? ((m: string) => console.error(m));
  // InfluxDB's and receivers' errors can carry URLs with user info (INFLUX_URL, a robot URL): never log those.
  const log = (m: string) => write(redactUserInfo(m));
  const settings = config.andon;
  const startedAt = clock();
  const lineNow = (line: string) => board.lineNow(line);
  const sessions = new SessionStore(config.plant.people ?? [], settings.session, clock);
  const notifier = new OutboxNotifier({ plant: config.plant, outboxPath: join(config.dataDir, 'andon-outbox.ndjson'), settings: settings.notify, clock, log });
  const service = new AndonService({
    plant: config.plant,
    append: (events) => deps.pipeline().append(events),
    lineNow,
    onChange: (lines) => deps.linesChanged(lines),
    onStep: (call, event) => notifier.step(call, event),
    newCallId: () => `c-${clock().toString(36)}${randomBytes(3).toString('hex')}`,
    log,
  });
  board.andonOf = (line) => service.live(line);
  let memoryFrom = startedAt - settings.historyDays * DAY_MS;
  let partners: PartnerRoutes | null = null;
  let alerts: { at: number; list: MaterialRiskAlert[] } = { at: -Infinity, list: [] };
  // The rules in force may be an edit made through the API: ask each time.
  const wantsMaterial = () => service.rulesView().rules.some((r) => r.type === 'material_risk');
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let prunedAt = startedAt;
  /** InfluxDB could not be read at start: calls it holds are still to be merged. */
  let unread = false;
  let readTriedAt = 0;
  let merging: Promise<void> | null = null;
  /** Since when each line is listened to, on the line's clock (the silence rule counts from here). */
  const watchFrom = new Map<string, number>();

  let refreshing: Promise<void> | null = null;
  /** Reads of partner reports failing since (wall clock), so an outage is logged once, not every refresh. */
  let partnerReadsFailingSince: number | null = null;
  /**
   * The current material-risk alerts. They are read from InfluxDB in the
   * background, every 30 s of the line's clock: a slow InfluxDB never holds up
   * an escalation, the rule just sees the last alerts read.
   */
  function materialAlerts(): MaterialRiskAlert[] {
    if (!wantsMaterial() || !partners) return [];
    const registry = partners.registry();
    const now = Math.max(...config.plant.lines.map((l) => lineNow(l.id)));
    if (!refreshing && now - alerts.at >= MATERIAL_REFRESH_MS) {
      refreshing = store.reads.partnerReports(now)
        .then((reports) => {
          alerts = { at: now, list: materialRisks(registry.partners, reports, config.plant, now) };
          if (partnerReadsFailingSince !== null) {
            log(`andon: partner reports readable again after ${Math.round((Date.now() - partnerReadsFailingSince) / 1000)} s; the material-risk rule uses them again`);
            partnerReadsFailingSince = null;
          }
        })
        .catch((error: unknown) => {
          // InfluxDB away: keep the last alerts; the rule neither fires nor clears on a failed read.
          alerts = { ...alerts, at: now };
          if (partnerReadsFailingSince !== null) return;
          partnerReadsFailingSince = Date.now();
          log(`andon: cannot read partner reports for the material-risk rule (${(error as Error).message}); it keeps the last alerts read and says so once it can read them again`);
        })
        .finally(() => {
          refreshing = null;
        });
    }
    return alerts.list;
  }

  function snapshots(): LineSnapshot[] {
    return config.plant.lines.flatMap((line) => {
      const view = board.view(line.id);
      if (!view) return [];
      return [{ line, stations: view.stations, unitsPerHour: view.unitsPerHour, lastHeard: service.heard(line.id), watchingSince: watchFrom.get(line.id) ?? startedAt }];
    });
  }

  /** Calls, cords and rule edits from InfluxDB for the history window; null when InfluxDB cannot answer. */
  async function readStored(): Promise<StationEvent[] | null> {
    const now = Math.max(clock(), ...config.plant.lines.map((l) => lineNow(l.id)));
    const from = now - settings.historyDays * DAY_MS;
    try {
      const { events, skipped } = await readCallEvents(store, from, now + DAY_MS);
      if (skipped > 0) log(`andon: ${skipped} stored call steps no longer validate; skipped`);
      const stored = [...events, ...(await readStationAndonEvents(store, now - CORD_REPLAY_MS, now + DAY_MS)), ...(await readRuleEdits(store))];
      memoryFrom = from;
      unread = false;
      return stored;
    } catch (error) {
      if (!unread) log(`andon: cannot read calls from InfluxDB (${(error as Error).message}); going on with the spool's unwritten steps, reading again every ${RETRY_READ_MS / 1000} s`);
      unread = true;
      readTriedAt = clock();
      return null;
    }
  }

  async function restoreFrom(all: StationEvent[]): Promise<void> {
    await service.restore(
      all.filter((e) => e.type === 'andon_call'),
      all.filter((e) => e.type === 'andon'),
      all.filter((e) => e.type === 'andon_rules'),
    );
  }

  async function tick(): Promise<void> {
    if (ticking) return ticking;
    ticking = (async () => {
      try {
        if (unread && !merging && clock() - readTriedAt >= RETRY_READ_MS) {
          // InfluxDB was away at start: merge what it holds now (steps are applied once, by id), in the
          // background so a slow InfluxDB does not hold up escalations.
          readTriedAt = clock();
          merging = readStored()
            .then((stored) => (stored ? restoreFrom(stored) : undefined))
            .catch((error: unknown) => log(`andon: merging the calls InfluxDB holds failed: ${(error as Error).message}`))
            .finally(() => {
              merging = null;
            });
        }
        await service.tick(snapshots(), materialAlerts());
        const now = clock();
        if (now - prunedAt >= PRUNE_EVERY_MS) {
          // Older intervals are read from InfluxDB from now on.
          memoryFrom = Math.max(memoryFrom, now - settings.historyDays * DAY_MS);
          service.prune(memoryFrom);
          prunedAt = now;
        }
      } catch (error) {
        log(`andon: escalation and rule check failed: ${(error as Error).message}`);
      } finally {
        ticking = null;
      }
    })();
    return ticking;
  }

  async function callsRaised(line: string, from: number, to: number): Promise<AndonCallView[]> {
    return from >= memoryFrom ? service.callsRaised(line, from, to) : (await readAndonHistory(store, line, from, to, lineNow(line))).calls;
  }

  return {
    service,
    notifier,
    sessions,
    observe: (events) => service.observe(events),
    register(router, partnerRoutes, moreAudit) {
      partners = partnerRoutes;
      registerSessionRoutes(router, { plant: config.plant, sessions, secureCookie: settings.secureCookie });
      registerAndonRoutes(router, {
        plant: config.plant,
        service,
        sessions,
        notifier,
        lineNow,
        history: (line, from, to) => readAndonHistory(store, line, from, to, lineNow(line)),
        memoryFrom: () => memoryFrom,
        ...(moreAudit ? { moreAudit } : {}),
      });
    },
    calls: callsRaised,
    async kpis(line, from, to) {
      return andonKpis(await callsRaised(line, from, to));
    },
    metricsText: () => notifier.metricsText(),
    tick,
    async start() {
      await notifier.open();
      for (const line of config.plant.lines) watchFrom.set(line.id, lineNow(line.id));
      const stored = await readStored();
      if (!stored) {
        // The spool still holds what InfluxDB has not confirmed; the rest is read once InfluxDB answers (see tick).
        memoryFrom = Math.max(clock(), ...config.plant.lines.map((l) => lineNow(l.id)));
      }
      await restoreFrom([...(stored ?? []), ...deps.pipeline().unwrittenAndonEvents()]);
      timer = setInterval(() => void tick(), settings.tickMs);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      await ticking;
      await refreshing;
      await merging;
      await service.idle();
      await notifier.close();
    },
  };
}
