/**
 * Builds the collector's HTTP server without listening: routes, ingest, live
 * hub. main.ts owns processes and ports; tests build an app and listen on a
 * free port themselves.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { LineConfig } from '../core/plant';
import { createAndon, type Andon } from './andon';
import type { CollectorConfig } from './config';
import { requireToken, TokenSet } from './http/auth';
import { readBody } from './http/body';
import { setSecurityHeaders } from './http/headers';
import { influxProblem } from './http/influx-problem';
import { HttpProblem } from './http/problem';
import { sendJson, sendProblem } from './http/respond';
import { parseTarget, publicUrl, redactUserInfo } from './http/safe-url';
import { answerClientError, upgradeRouter } from './http/upgrade';
import { registerHistoryRoutes } from './history/history-routes';
import type { LineEvents } from './history/line-events';
import { registerKpiRoutes } from './history/kpi-route';
import { registerTrendRoutes, warmTrends, type TrendRouteDeps } from './history/trend-route';
import { TrendPointMemo } from './history/trend-memo';
import { registerLossRoutes } from './loss/route';
import { ReportArchive } from './report/archive';
import { chromiumStatus } from './report/printer';
import { registerReportsRoutes, renderAndStore, type ReportsRouteDeps } from './report/reports-routes';
import { ShiftEndReports } from './report/scheduler';
import { ReportHandovers } from './report/handover';
import { registerHandoverRoutes } from './report/handover-routes';
import { ReportNotices } from './report/notices';
import { registerReportRoutes } from './report/route';
import { join } from 'node:path';
import { Router } from './http/router';
import { registerPartnerRoutes } from './partners/routes';
import { registerStopRoutes } from './reasons/routes';
import { UnitDefects } from './reasons/defects';
import { registerDefectRoutes } from './reasons/defect-routes';
import { StopReasons } from './reasons/service';
import { NameAdmission } from './partners/admission';
import { staticFiles } from './http/static';
import { InfluxError, type EventStore } from './influx/store';
import { IngestError, ingestProblem } from './ingest/errors';
import { parseBatch } from './ingest/parse';
import { createIngestPipeline } from './ingest/pipeline';
import type { SpoolFs } from './spool/file-ops';
import { IngestSockets } from './ingest/ws';
import { Fleet } from './kiosk/fleet';
import { KioskSource } from './kiosk/kiosk-file';
import { registerKioskRoutes } from './kiosk/routes';
import { LineBoard } from './live/board';
import { MonthRollups, writingThrough } from './rollup/month-cache';
import { HourRoller } from './rollup/roller';
import { lineClockFrom } from './live/line-clock';
import { LiveHub } from './live/hub';
import { Metrics } from './metrics';
import { MqttConnector } from './mqtt/connector';
import { Connectors } from './connectors/connectors';

export interface AppDeps {
  config: CollectorConfig;
  store: EventStore;
  /** Wall clock, epoch ms. @default Date.now */
  clock?: () => number;
  /** Collector version shown by /api/v1/health. */
  version?: string;
  /** The spool's file operations (crash tests inject a layer that loses unsynced bytes). @default nodeSpoolFs */
  spoolFs?: SpoolFs;
}

export interface App {
  server: Server;
  /** Every route the API answers, e.g. `GET /api/v1/kpi` (tests feed hostile parameters to each). */
  routes(): { method: string; path: string }[];
  /** Opens the spool, restores the live state from InfluxDB and starts the KPI refresh; call before listening. */
  start(): Promise<void>;
  board: LineBoard;
  /** Keeps the closed hours' summaries (rollup_hour) in step with the events. */
  roller: HourRoller;
  /** Resolves once the start-up backfill is done and the last 13 closed months of each line are kept in memory, with the trend points of the closed days and weeks of its last 400 (or failed). */
  warmed(): Promise<void>;
  hub: LiveHub;
  metrics: Metrics;
  /** Andon calls, sessions and notifications. */
  andon: Andon;
  /** Stop records and people's classifications (collector/reasons). */
  reasons: StopReasons;
  /** Stops the live hub and closes the server and the store. */
  close(): Promise<void>;
}

/** How often closed hours and late events are rolled up, ms. */
const ROLL_INTERVAL_MS = 10_000;

export function buildApp(deps: AppDeps): App {
  const { config, store } = deps;
  const clock = deps.clock ?? Date.now;
  const startedAt = clock();
  const metrics = new Metrics();
  const lineClock = lineClockFrom(config, clock);
  const board = new LineBoard(config.plant, lineClock);
  const hub = new LiveHub({
    board,
    clock,
    heartbeatMs: config.heartbeatMs,
    onClientCount: (n) => metrics.setLiveClients(n),
  });
  const ingestTokens = new TokenSet(config.ingestTokens);
  // Kiosk playlists and the fleet of screens reporting to this collector.
  const kiosk = new KioskSource(config.kioskFile, config.plant);
  const fleet = new Fleet(clock);
  // Partner and entity names come from the registry in force (bounded series cardinality).
  const names = new NameAdmission(config.maxUnregisteredNames, () => partners.registry());
  // Closed hours' summaries: an hour an event is stored into is rolled (again) once it is closed.
  // Closed months merged from their summaries for long reads; every summary the roller writes drops the months it touches.
  let warming: Promise<void> = Promise.resolve();
  const months = new MonthRollups(store.reads);
  // Trend points of closed days and weeks, dropped by every write and store that drops a kept month.
  const trendPoints = new TrendPointMemo();
  months.onTouched((line, spans) => trendPoints.touched(line, spans));
  const roller = new HourRoller({ store: writingThrough(store, months), plant: config.plant, lineNow: (line) => board.lineNow(line) });
  // Durable path: acknowledged once in the spool; the live board moves then too, even while InfluxDB is away.
  const pipeline = createIngestPipeline({
    config,
    admit: (event) => names.check(event),
    store: {
      async write(events) {
        await store.write(events);
        roller.stored(events);
        months.stored(events);
      },
    },
    metrics,
    clock,
    lineClock: lineClock.now,
    onDurable: (events, receivedAt) => hub.linesChanged(board.apply(andon.observe(defects.observe(reasons.observe(handovers.observe(events)))), receivedAt)),
    ...(deps.spoolFs ? { spoolFs: deps.spoolFs } : {}),
  });
  // Andon calls: their steps go through the same spool; the board shows the open ones (collector/andon).
  const andon = createAndon({ config, store, board, pipeline: () => pipeline, linesChanged: (lines) => hub.linesChanged(lines), clock });
  // Stop reasons: people's classifications go through the same spool (collector/reasons).
  const reasons = new StopReasons({ plant: config.plant, store, append: (events) => pipeline.append(events), lineNow: (line) => board.lineNow(line), unwritten: () => pipeline.unwrittenAndonEvents(), log: (m) => console.error(m), clock });
  // Shift-report handovers: notes, signatures and corrections go through the same spool (collector/report).
  const handovers = new ReportHandovers({ plant: config.plant, store, append: (events) => pipeline.append(events), unwritten: () => pipeline.unwrittenAndonEvents(), lineNow: (line) => board.lineNow(line), log: (m) => console.error(m), clock, onStep: (view, event) => reportNotices.step(view, event) });
  // People's defect codes for nok units, the same way.
  const defects = new UnitDefects({ plant: config.plant, store, append: (events) => pipeline.append(events), lineNow: (line) => board.lineNow(line), unwritten: () => pipeline.unwrittenAndonEvents(), log: (m) => console.error(m), clock });
  const { ingestor } = pipeline;
  // Plant-floor sources from the plant file (OPC UA; Sparkplug rides on MQTT): see docs/connectors.md.
  const connectors = new Connectors({ config: config.plant.connectors, ingestor, metrics, dataDir: config.dataDir, clock });
  // A station whose source went silent shows as signal lost on the wall, not as its last state (collector/live/board.ts).
  board.sourcesOf = () => connectors.registry.list();
  // While the spool refuses events the wall says so, rather than showing the last numbers as live.
  let openFailedSince: number | null = null;
  board.intakeOf = () => {
    const { spool } = pipeline.status();
    // A spool that could not be opened refuses everything, as a failing disk does.
    if (spool.state === 'failed') return { code: 'disk_error', since: (openFailedSince ??= clock()) };
    return spool.code === null || spool.since === null ? null : { code: spool.code, since: spool.since };
  };
  const ingestSockets = new IngestSockets({
    ingestor,
    tokens: ingestTokens,
    maxPayloadBytes: config.maxBodyBytes,
    maxBatchEvents: config.maxBatchEvents,
  });
  const dashboard = config.dashboardDir ? staticFiles(config.dashboardDir) : null;

  const router = new Router()
    .on('POST', '/api/v1/events', async ({ req, res }) => {
      requireToken(req, ingestTokens, 'ingest');
      const body = await readBody(req, config.maxBodyBytes);
      try {
        const batch = parseBatch(body, req.headers['content-type'], config.maxBatchEvents);
        const { accepted, duplicates, rejected } = await ingestor.ingest(batch.items, batch.failures, batch.json);
        const status = accepted === 0 && duplicates === 0 && rejected.length > 0 ? 400 : 200;
        sendJson(res, status, { accepted, duplicates, rejected });
      } catch (error) {
        throw error instanceof IngestError ? ingestProblem(error) : error;
      }
    })
    .on('GET', '/api/v1/health', async ({ res }) => {
      const influx = await store.refreshInfo();
      // Degraded when InfluxDB is away, the spool refuses writes (quota or disk full, disk errors) or the writer is held up by the disk.
      const durable = pipeline.status();
      const healthy = influx.reachable && durable.spool.state === 'ok' && durable.writer === null;
      sendJson(res, healthy ? 200 : 503, {
        status: healthy ? 'ok' : 'degraded',
        version: deps.version ?? 'dev',
        uptimeSeconds: Math.round((clock() - startedAt) / 1000),
        clock: config.clock,
        lineClock: { mode: lineClock.mode, now: lineClock.now(), rate: lineClock.rate },
        influx: {
          url: publicUrl(influx.url),
          name: influx.name,
          product: influx.product,
          version: influx.version,
          reachable: influx.reachable,
          writePath: influx.writePath,
          bucket: config.influxBucket,
          error: influx.error === null ? null : redactUserInfo(influx.error),
        },
        lines: board.lineIds(),
        events: metrics.summary(),
        spool: spoolHealth(),
        liveClients: hub.clientCount(),
        sources: connectors.registry.list(),
        // Shift reports render to PDF with Chromium; without it the rest of the collector works on (docs/reports.md).
        reports: chromiumStatus(config.chromiumPath),
      });
    })
    .on('GET', '/api/v1/lines', ({ res }) => {
      sendJson(res, 200, {
        lines: config.plant.lines.map((l) => ({
          id: l.id,
          name: l.name,
          timeZone: l.timeZone,
          targetPerHour: l.targetPerHour,
          stations: l.stations,
        })),
      });
    })
    .on('GET', '/metrics', async ({ res }) => {
      const k = await kiosk.get();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(metrics.render() + andon.metricsText() + fleet.renderMetrics({ silentAfterSeconds: k.silentAfterSeconds, staleAfterSeconds: k.staleAfterSeconds }));
    });

  function spoolHealth() {
    const spool = metrics.spool();
    const status = pipeline.status();
    return {
      state: status.spool.state,
      reason: status.spool.reason,
      writerProblem: status.writer,
      unwrittenEvents: spool.unwrittenEvents,
      unwrittenBytes: spool.unwrittenBytes,
      maxBytes: spool.maxBytes,
      oldestUnwrittenSeconds: spool.oldestUnwrittenSeconds,
    };
  }

  registerKioskRoutes(router, { kiosk, fleet, sessions: andon.sessions, adminToken: config.adminToken });
  const lineNow = (line: string) => board.lineNow(line);
  const trendDeps: TrendRouteDeps = { store, plant: config.plant, lineNow, memo: trendPoints };
  const stopReasons = (line: LineConfig, from: number, to: number, now: number, states?: LineEvents) => reasons.part(line, from, to, now, states);
  registerKpiRoutes(router, { store, plant: config.plant, lineNow, andonKpis: andon.kpis, stopReasons, months });
  registerTrendRoutes(router, trendDeps);
  registerLossRoutes(router, { store, plant: config.plant, lineNow, partners: () => partners.registry().partners, stopReasons, unitDefects: (line) => defects.forLine(line), months });
  registerHistoryRoutes(router, { store, plant: config.plant, lineNow, stopReasons });
  registerReportRoutes(router, { store, plant: config.plant, lineNow, andonKpis: andon.kpis, andonCalls: andon.calls, partners: () => partners.registry().partners, handover: (line, shift) => handovers.view(line, shift), unitDefects: (line) => defects.forLine(line) });
  const partners = registerPartnerRoutes(router, { store, plant: config.plant, partnersFile: config.partnersFile, dataDir: config.dataDir, adminToken: config.adminToken, lineNow, clock });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseTarget(req.url);
    if (await router.handle({ req, res, url })) return;
    if (url.pathname.startsWith('/api/')) {
      throw new HttpProblem(404, 'not_found', `no endpoint ${req.method ?? 'GET'} ${url.pathname}; see docs/api.md`);
    }
    if (dashboard && (await dashboard(req, res, url.pathname))) return;
    throw new HttpProblem(404, 'not_found', dashboard ? `no file ${url.pathname}` : 'the dashboard is not built: run npm run build');
  }

  andon.register(router, partners, (line, from, to) => [...reasons.audit(line, from, to), ...defects.audit(line, from, to)].sort((a, b) => a.at - b.at));
  registerStopRoutes(router, { plant: config.plant, reasons, sessions: andon.sessions, lineNow: (line) => board.lineNow(line) });
  registerDefectRoutes(router, { plant: config.plant, defects, sessions: andon.sessions, lineNow: (line) => board.lineNow(line) });
  const reportsDeps: ReportsRouteDeps = {
    plant: config.plant,
    sessions: andon.sessions,
    archive: new ReportArchive(join(config.dataDir, 'reports')),
    chromiumPath: config.chromiumPath,
    selfUrl: () => {
      const a = server.address();
      if (!a || typeof a === 'string') return null;
      const host = config.host === '0.0.0.0' || config.host === '::' || config.host === '' ? '127.0.0.1' : config.host;
      return `http://${host.includes(':') ? `[${host}]` : host}:${a.port}`;
    },
    lineNow,
    clock,
    handover: (line, shift) => handovers.view(line, shift),
  };
  registerReportsRoutes(router, reportsDeps);
  // Notices of shift-end and signed reports through the andon channels' outbox (docs/reports.md).
  const reportNotices = new ReportNotices({
    plant: config.plant,
    archive: reportsDeps.archive,
    enqueue: (deliveries) => andon.notifier.enqueue(deliveries),
    render: (line, shift, version, signedBy) => renderAndStore(reportsDeps, line, shift, signedBy, { handoverVersion: version, occasion: 'signed' }),
    handover: (line, shift) => handovers.view(line, shift),
    baseUrl: () => config.publicUrl || reportsDeps.selfUrl() || `http://127.0.0.1:${config.port}`,
    clock,
    log: (m) => console.error(redactUserInfo(m)),
  });
  registerHandoverRoutes(router, { plant: config.plant, handovers, sessions: andon.sessions, lineNow });
  // Every line's report when its shift ends, on the line's clock (docs/reports.md).
  const shiftEndReports = config.reportsAtShiftEnd
    ? new ShiftEndReports({
        plant: config.plant,
        lineNow,
        archive: reportsDeps.archive,
        render: async (line, shift) => {
          const stored = await renderAndStore(reportsDeps, line, shift, null, { occasion: 'shift_end' });
          await reportNotices.announce(stored, 'shift_end');
          return stored;
        },
        log: (m) => console.error(redactUserInfo(m)),
      })
    : null;

  const server = createServer((req, res) => {
    setSecurityHeaders(res);
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpProblem) {
        sendProblem(res, error);
        return;
      }
      if (error instanceof InfluxError) {
        // Reads that InfluxDB cannot answer now: say so, and whether trying again can help; never its raw words.
        sendProblem(res, influxProblem(error));
        return;
      }
      console.error('collector: unexpected error', error);
      sendProblem(res, new HttpProblem(500, 'internal_error', 'the collector failed on this request; see its log'));
    });
  });
  server.on(
    'upgrade',
    upgradeRouter(
      new Map([
        ['/api/v1/live', (req, socket, head) => hub.handleUpgrade(req, socket, head)],
        ['/api/v1/ingest', (req, socket, head) => ingestSockets.handleUpgrade(req, socket, head)],
      ]),
      config.allowedOrigins,
    ),
  );
  server.on('clientError', answerClientError);

  let kpiTimer: NodeJS.Timeout | null = null;
  let kpiFailing = false;
  let rollTimer: NodeJS.Timeout | null = null;
  let rollFailing = false;
  let mqtt: MqttConnector | null = null;
  async function startMqtt(): Promise<void> {
    const sparkplug = config.plant.connectors?.sparkplug ?? [];
    if (!config.mqttUrl) {
      if (sparkplug.length > 0) console.error('collector: the plant file lists Sparkplug B sources but TAKTLINE_MQTT_URL is not set; they are not read');
      return;
    }
    mqtt = new MqttConnector({
      url: config.mqttUrl,
      topic: config.mqttTopic,
      errorTopic: config.mqttErrorTopic,
      clientId: config.mqttClientId,
      ingestor,
      maxPayloadBytes: config.maxBodyBytes,
      maxBatchEvents: config.maxBatchEvents,
      // mqtt://user:password@broker is how MQTT takes credentials: keep them out of the log.
      log: (message) => console.warn(redactUserInfo(message)),
      sparkplug: { sources: sparkplug, metrics, marksDir: join(config.dataDir, 'sparkplug-counters') },
    });
    for (const source of mqtt.sparkplugSources()) connectors.registry.add(source);
    // A broker that is down at start is not fatal: the client keeps reconnecting.
    const timeout = new Promise<string>((resolve) => setTimeout(() => resolve('not reachable yet; retrying in the background'), 5000).unref());
    const outcome = await Promise.race([mqtt.ready().then(() => null, (e: Error) => e.message), timeout]);
    if (outcome) console.error(`collector: MQTT broker ${publicUrl(config.mqttUrl)}: ${outcome}`);
  }

  async function rollClosedHours(): Promise<void> {
    try {
      await roller.tick();
      rollFailing = false;
    } catch (error) {
      if (!rollFailing) console.error(`collector: cannot roll up closed hours, retrying: ${redactUserInfo((error as Error).message)}`);
      rollFailing = true;
    }
  }

  async function refreshKpis(): Promise<void> {
    try {
      hub.linesChanged(await board.refreshKpis(store));
      kpiFailing = false;
    } catch (error) {
      // InfluxDB away: the shift's numbers stay as they were; say it once, not every half minute.
      if (!kpiFailing) console.error(`collector: cannot refresh shift KPIs: ${redactUserInfo((error as Error).message)}`);
      kpiFailing = true;
    }
  }

  return {
    server,
    routes: () => router.list(),
    board,
    roller,
    hub,
    metrics,
    andon,
    reasons,
    warmed: () => warming,
    async start() {
      await pipeline.ready;
      await startMqtt();
      connectors.start();
      try {
        await board.restore(store);
      } catch (error) {
        console.error(`collector: cannot restore the live state from InfluxDB, starting empty: ${redactUserInfo((error as Error).message)}`);
      }
      await andon.start();
      await reasons.start();
      await handovers.start();
      await defects.start();
      await refreshKpis();
      kpiTimer = setInterval(() => void refreshKpis(), config.kpiRefreshMs);
      // In the background: a year of history takes a while, and reads use raw events for hours not rolled yet.
      // Then the last 13 closed months are merged ahead of any request, so a year's first read finds them kept.
      warming = roller
        .backfill()
        .then(
          async (hours) => {
            console.log(`collector: rollups are up to date (${hours} hours rolled at start)`);
            const kept = await months.warm(config.plant.lines, (line) => board.lineNow(line));
            if (kept > 0) console.log(`collector: ${kept} closed month(s) kept in memory for long reads`);
            // Then the points of the closed days and weeks a trend can ask for, from those months.
            const trendsFrom = performance.now();
            const points = await warmTrends(trendDeps);
            const seconds = ((performance.now() - trendsFrom) / 1000).toFixed(1);
            if (points > 0) console.log(`collector: ${points} trend point(s) of closed days and weeks kept in memory (${seconds} s)`);
          },
          (error: Error) => console.error(`collector: cannot bring the rollups up to date; long ranges read raw events meanwhile: ${redactUserInfo(error.message)}`),
        )
        .catch((error: unknown) => console.error(`collector: cannot keep the closed months in memory; long reads read them: ${redactUserInfo((error as Error).message)}`));
      rollTimer = setInterval(() => void rollClosedHours(), ROLL_INTERVAL_MS);
      await names.seedFrom(store);
      await reportNotices.resume().catch((error: unknown) => console.error(`collector: cannot queue the notices of recent reports again: ${redactUserInfo((error as Error).message)}`));
      shiftEndReports?.start();
    },
    async close() {
      if (kpiTimer) clearInterval(kpiTimer);
      if (rollTimer) clearInterval(rollTimer);
      await roller.stop();
      await shiftEndReports?.close();
      await reportNotices.settled();
      await hub.close();
      await mqtt?.close();
      await connectors.close();
      await ingestSockets.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await andon.close();
      await pipeline.close();
      await store.close();
    },
  };
}
