/**
 * The collector's configuration: defaults in one object, overridden by
 * environment variables, validated with reasons a person can act on.
 * Every variable is documented in docs/configuration.md.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { PlantConfig, referencePlant } from '../core/plant';
import { AndonSettingsError, DEFAULT_ANDON_SETTINGS, andonSettingsFromEnv, type AndonSettings } from './andon/settings';
import { parseKioskFile } from './kiosk/kiosk-file';
import { PartnerRegistryError, readRegistryFile } from './partners/registry-file';
import { normalizeOrigin } from './http/origin';
import { hasUserInfo, publicUrl } from './http/safe-url';

/** `wall`: the line clock is the wall clock (production). `demo`: an explicit demo clock (start and speed). */
export type ClockMode = 'wall' | 'demo';

export interface CollectorConfig {
  port: number;
  host: string;
  /** InfluxDB base URL; empty means "start a local influxd" (npm run collector / demo only). */
  influxUrl: string;
  influxToken: string;
  influxOrg: string;
  influxBucket: string;
  /** Bearer tokens accepted for ingest (stations, gateways, the simulator). */
  ingestTokens: string[];
  /** Bearer token for configuration writes; empty disables them. */
  adminToken: string;
  /** Where the collector keeps its own files (spool, local influxd data). */
  dataDir: string;
  /** Built dashboard to serve at `/`; empty serves none. */
  dashboardDir: string;
  plant: PlantConfig;
  /** Partner registry and cluster goal file (JSON or YAML); empty: the demo registry. An admin API copy in `dataDir` wins. */
  partnersFile: string;
  /** Kiosk screens and their playlists (JSON or YAML); empty: no named screens. Re-read when it changes. */
  kioskFile: string;
  /** Accept events for lines and stations the plant file does not list. */
  acceptUnknownLines: boolean;
  /**
   * How many `partner` and `entity` names the partner registry does not list
   * are accepted (each one is a new InfluxDB series); 0 accepts registered names only.
   */
  maxUnregisteredNames: number;
  /** Web origins besides the collector's own whose pages may open its WebSockets, e.g. https://wall.example.com. */
  allowedOrigins: string[];
  /** Largest accepted request body, bytes. */
  maxBodyBytes: number;
  /** Most events in one batch. */
  maxBatchEvents: number;
  /** How far ahead of the collector's clock an event may be stamped, seconds. */
  maxFutureSeconds: number;
  /** Headless Chromium that renders shift reports to PDF (docs/reports.md). */
  chromiumPath: string;
  /** Render every line's shift report to PDF when the shift ends (docs/reports.md). */
  reportsAtShiftEnd: boolean;
  /** The dashboard's address as people reach it (links in report notices), e.g. https://taktline.plant.example; empty: the collector's own address. */
  publicUrl: string;
  /** How old an event may be, seconds. */
  maxAgeSeconds: number;
  /**
   * Which clock the live numbers follow and event timestamps are checked
   * against: `wall` in production; `demo` when a simulator runs the line
   * faster than real time. Never learned from the events themselves.
   */
  clock: ClockMode;
  /** Demo mode: the line time at the collector's start, epoch ms; null starts at the wall clock's time. */
  demoStart: number | null;
  /** Demo mode: line seconds per wall second. */
  demoSpeed: number;
  /** Live heartbeat interval, milliseconds. */
  heartbeatMs: number;
  /** How often the shift's bottleneck and OEE are recomputed from InfluxDB, milliseconds. */
  kpiRefreshMs: number;
  /** Quota on spool bytes not yet confirmed by InfluxDB; past it ingest answers 503 with Retry-After. */
  spoolMaxBytes: number;
  /** Size at which a spool segment file is closed and a new one started, bytes. */
  spoolSegmentBytes: number;
  /** How long a repeat of an acknowledged event id is dropped, seconds (survives a restart). */
  dedupeWindowSeconds: number;
  /** Events per write to InfluxDB. */
  influxBatchEvents: number;
  /** Back-off after a failed InfluxDB write, from min doubling to max, milliseconds. */
  influxRetryMinMs: number;
  influxRetryMaxMs: number;
  /** MQTT broker to subscribe to, e.g. mqtt://broker:1883; empty disables the connector. */
  mqttUrl: string;
  /** Topic filter the connector subscribes to (QoS 1). */
  mqttTopic: string;
  /** Topic where rejected MQTT payloads are reported with their reasons. */
  mqttErrorTopic: string;
  /** MQTT client id; the broker keeps this session's unacknowledged messages across reconnects. */
  mqttClientId: string;
  /** Andon calls, sessions and notifications (collector/andon/settings.ts). */
  andon: AndonSettings;
}

export const DEFAULT_COLLECTOR_CONFIG: CollectorConfig = {
  port: 8080,
  host: '0.0.0.0',
  influxUrl: '',
  influxToken: '',
  influxOrg: 'taktline',
  influxBucket: 'taktline',
  ingestTokens: [],
  adminToken: '',
  dataDir: '.taktline',
  dashboardDir: 'dist/dashboard',
  plant: referencePlant(),
  partnersFile: '',
  kioskFile: '',
  acceptUnknownLines: false,
  maxUnregisteredNames: 0,
  allowedOrigins: [],
  maxBodyBytes: 4 * 1024 * 1024,
  maxBatchEvents: 10_000,
  maxFutureSeconds: 300,
  chromiumPath: '/usr/bin/chromium',
  reportsAtShiftEnd: true,
  publicUrl: '',
  maxAgeSeconds: 7 * 24 * 3600,
  clock: 'wall',
  demoStart: null,
  demoSpeed: 60,
  heartbeatMs: 5000,
  kpiRefreshMs: 30_000,
  spoolMaxBytes: 1024 * 1024 * 1024,
  spoolSegmentBytes: 64 * 1024 * 1024,
  dedupeWindowSeconds: 600,
  influxBatchEvents: 5000,
  influxRetryMinMs: 500,
  influxRetryMaxMs: 30_000,
  mqttUrl: '',
  mqttTopic: 'taktline/+/+/events',
  mqttErrorTopic: 'taktline/errors',
  mqttClientId: 'taktline-collector',
  andon: DEFAULT_ANDON_SETTINGS,
};

/** A configuration problem, named by the variable that causes it. */
export class ConfigError extends Error {
  readonly code = 'config_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads the configuration from environment variables; throws {@link ConfigError}. */
export function configFromEnv(env: Env, base: CollectorConfig = DEFAULT_COLLECTOR_CONFIG): CollectorConfig {
  const str = (name: string, fallback: string) => {
    const v = env[name];
    return v === undefined || v.trim() === '' ? fallback : v.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got '${raw}'`);
    }
    return n;
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    throw new ConfigError(`${name} must be true or false; got '${env[name]}'`);
  };

  const influxUrl = str('INFLUX_URL', base.influxUrl);
  if (influxUrl) {
    let parsed: URL;
    try {
      parsed = new URL(influxUrl);
    } catch {
      // Not echoed: a value that is not a URL may be a token pasted into the wrong variable.
      throw new ConfigError('INFLUX_URL must be a URL such as http://localhost:8086');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError(`INFLUX_URL must start with http:// or https://; got '${publicUrl(influxUrl)}'`);
    }
    if (hasUserInfo(influxUrl)) {
      // fetch() refuses URLs with credentials, so such a URL can never work; and it would be shown in health and logs.
      throw new ConfigError(
        `INFLUX_URL must not carry a user name or password: set INFLUX_URL=${publicUrl(influxUrl)} and put the credentials in INFLUX_TOKEN ` +
          '(an API token for InfluxDB 2.x, 3.x and Cloud; user:password for InfluxDB 1.x)',
      );
    }
    if (parsed.search || parsed.hash) {
      throw new ConfigError(`INFLUX_URL must be the server's base URL without a query, e.g. ${publicUrl(influxUrl)}; credentials go in INFLUX_TOKEN`);
    }
  }
  const clock = str('TAKTLINE_CLOCK', base.clock);
  if (clock !== 'wall' && clock !== 'demo') {
    throw new ConfigError(`TAKTLINE_CLOCK must be 'wall' or 'demo'; got '${clock}'`);
  }
  const demoStartRaw = str('TAKTLINE_DEMO_START', '');
  const demoStart = demoStartRaw === '' ? base.demoStart : Date.parse(demoStartRaw);
  if (demoStart !== null && !Number.isFinite(demoStart)) {
    throw new ConfigError(`TAKTLINE_DEMO_START must be an RFC 3339 time such as 2027-03-01T06:00:00+08:00; got '${demoStartRaw}'`);
  }
  const ingestTokens = str('TAKTLINE_INGEST_TOKENS', base.ingestTokens.join(','))
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  for (const token of ingestTokens) {
    if (token.length < 8) throw new ConfigError('each TAKTLINE_INGEST_TOKENS entry must be at least 8 characters');
  }
  const adminToken = str('TAKTLINE_ADMIN_TOKEN', base.adminToken);
  if (adminToken && adminToken.length < 12) throw new ConfigError('TAKTLINE_ADMIN_TOKEN must be at least 12 characters');
  if (adminToken && ingestTokens.includes(adminToken)) {
    throw new ConfigError('TAKTLINE_ADMIN_TOKEN must differ from every ingest token');
  }
  const plantFile = str('TAKTLINE_PLANT_FILE', '');
  const mqttUrl = str('TAKTLINE_MQTT_URL', base.mqttUrl);
  if (mqttUrl && !/^(mqtts?|wss?|tcp|ssl):\/\/[^\s]+$/.test(mqttUrl)) {
    // Not echoed: an MQTT URL may carry a password.
    throw new ConfigError(`TAKTLINE_MQTT_URL must be a URL such as mqtt://localhost:1883; got '${publicUrl(mqttUrl)}'`);
  }
  const allowedOrigins = str('TAKTLINE_ALLOWED_ORIGINS', base.allowedOrigins.join(','))
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      const origin = normalizeOrigin(o);
      if (origin === null) {
        throw new ConfigError(`each TAKTLINE_ALLOWED_ORIGINS entry must be an origin such as https://wall.example.com (scheme, host, optional port; no path); got '${publicUrl(o)}'`);
      }
      return origin;
    });
  const influxRetryMinMs = int('TAKTLINE_INFLUX_RETRY_MIN_MS', base.influxRetryMinMs, 10, 600_000);
  const influxRetryMaxMs = int('TAKTLINE_INFLUX_RETRY_MAX_MS', base.influxRetryMaxMs, 10, 3_600_000);
  if (influxRetryMaxMs < influxRetryMinMs) {
    throw new ConfigError('TAKTLINE_INFLUX_RETRY_MAX_MS must not be less than TAKTLINE_INFLUX_RETRY_MIN_MS');
  }

  const plant = plantFile ? loadPlantFile(plantFile) : base.plant;
  const partnersFile = str('TAKTLINE_PARTNERS_FILE', base.partnersFile);
  if (partnersFile) {
    try {
      readRegistryFile(partnersFile, plant);
    } catch (error) {
      if (error instanceof PartnerRegistryError) throw new ConfigError(`TAKTLINE_PARTNERS_FILE: ${error.message}`);
      throw error;
    }
  }

  const kioskFile = str('TAKTLINE_KIOSK_FILE', base.kioskFile);
  if (kioskFile) {
    try {
      parseKioskFile(readFileSync(kioskFile, 'utf8'), kioskFile, plant);
    } catch (error) {
      throw new ConfigError(`TAKTLINE_KIOSK_FILE: ${(error as Error).message}`);
    }
  }

  return {
    port: int('PORT', base.port, 0, 65_535),
    host: str('HOST', base.host),
    influxUrl,
    influxToken: str('INFLUX_TOKEN', base.influxToken),
    influxOrg: str('INFLUX_ORG', base.influxOrg),
    influxBucket: str('INFLUX_BUCKET', base.influxBucket),
    ingestTokens,
    adminToken,
    dataDir: str('TAKTLINE_DATA_DIR', base.dataDir),
    dashboardDir: str('TAKTLINE_DASHBOARD_DIR', base.dashboardDir),
    plant,
    partnersFile,
    kioskFile,
    acceptUnknownLines: bool('TAKTLINE_ACCEPT_UNKNOWN_LINES', base.acceptUnknownLines),
    maxUnregisteredNames: int('TAKTLINE_MAX_UNREGISTERED_NAMES', base.maxUnregisteredNames, 0, 10_000),
    allowedOrigins,
    maxBodyBytes: int('TAKTLINE_MAX_BODY_BYTES', base.maxBodyBytes, 1024, 256 * 1024 * 1024),
    maxBatchEvents: int('TAKTLINE_MAX_BATCH_EVENTS', base.maxBatchEvents, 1, 1_000_000),
    maxFutureSeconds: int('TAKTLINE_MAX_FUTURE_SECONDS', base.maxFutureSeconds, 0, 10 * 365 * 86_400),
    chromiumPath: str('TAKTLINE_CHROMIUM', base.chromiumPath),
    reportsAtShiftEnd: bool('TAKTLINE_REPORTS_AT_SHIFT_END', base.reportsAtShiftEnd),
    publicUrl: publicBaseUrl(str('TAKTLINE_PUBLIC_URL', base.publicUrl)),
    maxAgeSeconds: int('TAKTLINE_MAX_AGE_SECONDS', base.maxAgeSeconds, 60, 100 * 365 * 86_400),
    clock,
    demoStart,
    demoSpeed: int('TAKTLINE_DEMO_SPEED', base.demoSpeed, 1, 1000),
    heartbeatMs: int('TAKTLINE_HEARTBEAT_MS', base.heartbeatMs, 100, 60_000),
    kpiRefreshMs: int('TAKTLINE_KPI_REFRESH_MS', base.kpiRefreshMs, 1000, 3_600_000),
    spoolMaxBytes: int('TAKTLINE_SPOOL_MAX_BYTES', base.spoolMaxBytes, 64 * 1024, Number.MAX_SAFE_INTEGER),
    spoolSegmentBytes: int('TAKTLINE_SPOOL_SEGMENT_BYTES', base.spoolSegmentBytes, 4096, 1024 * 1024 * 1024),
    dedupeWindowSeconds: int('TAKTLINE_DEDUPE_WINDOW_SECONDS', base.dedupeWindowSeconds, 0, 7 * 86_400),
    influxBatchEvents: int('TAKTLINE_INFLUX_BATCH_EVENTS', base.influxBatchEvents, 1, 100_000),
    influxRetryMinMs,
    influxRetryMaxMs,
    mqttUrl,
    mqttTopic: str('TAKTLINE_MQTT_TOPIC', base.mqttTopic),
    mqttErrorTopic: str('TAKTLINE_MQTT_ERROR_TOPIC', base.mqttErrorTopic),
    mqttClientId: str('TAKTLINE_MQTT_CLIENT_ID', base.mqttClientId),
    andon: andonSettings(env, base.andon),
  };
}

function andonSettings(env: Env, base: AndonSettings): AndonSettings {
  try {
    return andonSettingsFromEnv(env, base);
  } catch (error) {
    if (error instanceof AndonSettingsError) throw new ConfigError(error.message);
    throw error;
  }
}

/** Loads and validates a plant file (JSON or YAML). */
export function loadPlantFile(path: string): PlantConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`TAKTLINE_PLANT_FILE: cannot read '${path}': ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`TAKTLINE_PLANT_FILE: '${path}' is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  const parsed = PlantConfig.safeParse(raw);
  if (!parsed.success) {
    // Every field with its reason (up to five), so one edit fixes the file instead of one per restart.
    const reasons = parsed.error.issues.slice(0, 5).map((issue) => `at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    const more = parsed.error.issues.length > 5 ? `; and ${parsed.error.issues.length - 5} more` : '';
    throw new ConfigError(`TAKTLINE_PLANT_FILE: '${path}' ${reasons.join('; ')}${more}`);
  }
  return parsed.data;
}

/** `TAKTLINE_PUBLIC_URL`: an http(s) URL without user info, query or fragment; kept without its trailing slash. */
function publicBaseUrl(raw: string): string {
  if (raw === '') return '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`TAKTLINE_PUBLIC_URL must be an http or https URL such as https://taktline.plant.example; got '${publicUrl(raw)}'`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || hasUserInfo(raw) || url.search !== '' || url.hash !== '') {
    throw new ConfigError(`TAKTLINE_PUBLIC_URL must be an http or https URL without user, password, query or fragment; got '${publicUrl(raw)}'`);
  }
  return url.toString().replace(/\/+$/, '');
}
