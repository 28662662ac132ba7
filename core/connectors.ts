/**
 * The plant file's optional `connectors` section: where the collector reads
 * PLC tags itself (OPC UA servers, Sparkplug B edge nodes) and the tag map
 * that turns each station's tags into protocol-v1 events. One tag map shape
 * for both: a tag is an OPC UA NodeId for OPC UA, a metric name for Sparkplug.
 * Pure: schemas and data only. See docs/connectors.md.
 */
import { z } from 'zod';
import { IDENTIFIER_PATTERN } from './events';
import { STATION_STATES, UNIT_RESULTS } from './vocabulary';

const id = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(IDENTIFIER_PATTERN, {
    error: `${what} must be 1–64 characters of letters, digits, '_', '.' or '-'`,
  });

/** A tag address: an OPC UA NodeId (`ns=2;s=A1.S01.Counter`) or a Sparkplug metric name (`S01/CycleCounter`). */
const tag = (what: string) =>
  z
    .string({ error: `${what} must be a string (an OPC UA NodeId or a Sparkplug metric name)` })
    .min(1, { error: `${what} must not be empty` })
    .max(256, { error: `${what} must be at most 256 characters` })
    .regex(/^[^\p{Cc}]+$/u, { error: `${what} must not contain control characters` });

/** A PLC value as the map knows it: the value's text (`5`, `true`, `FAULT`). */
const PlcCode = z.string().min(1, { error: 'a PLC code must not be empty' }).max(64, { error: 'a PLC code must be at most 64 characters' });

/** The state word: PLC code → Taktline state; the fault code (if mapped) becomes the state's reason. */
export const StateTag = z.strictObject({
  tag: tag('state.tag'),
  map: z
    .record(PlcCode, z.enum(STATION_STATES, { error: `each state.map value must be one of ${STATION_STATES.join(', ')}` }), {
      error: 'state.map must map PLC codes to states, e.g. { "1": "running", "5": "fault" }',
    })
    .refine((m) => Object.keys(m).length > 0, { error: 'state.map must map at least one PLC code' }),
  /** Tag holding the PLC's fault code or text, sent as the reason of a `fault` or `maintenance` state. */
  faultCode: tag('state.faultCode').optional(),
});
export type StateTag = z.infer<typeof StateTag>;

/** The ok/nok signal: PLC code → result. */
export const ResultTag = z.strictObject({
  tag: tag('result.tag'),
  map: z
    // 'none': the PLC's "no result yet" (often 0), which clears the latched result.
    .record(PlcCode, z.enum([...UNIT_RESULTS, 'none'], { error: "each result.map value must be 'ok', 'nok' or 'none'" }), {
      error: 'result.map must map PLC codes to results, e.g. { "0": "none", "1": "ok", "2": "nok" }',
    })
    .refine((m) => Object.keys(m).length > 0, { error: 'result.map must map at least one PLC code' }),
});
export type ResultTag = z.infer<typeof ResultTag>;

/** Andon button: a rising edge (false → true, 0 → non-zero) raises a call of `kind`. */
export const AndonTag = z.strictObject({
  tag: tag('andon.tag'),
  kind: id('andon.kind').optional(),
});
export type AndonTag = z.infer<typeof AndonTag>;

/** One station's tags. */
export const StationTags = z
  .strictObject({
    line: id('line'),
    station: id('station'),
    /** Counter the PLC increments once per finished cycle; each increment is a `cycle` event. */
    cycleCounter: tag('cycleCounter').optional(),
    /** Last cycle's time in seconds; without it the cycle time is the time between two increments. */
    cycleTime: tag('cycleTime').optional(),
    state: StateTag.optional(),
    /** Serial (VIN) of the unit in the station, sent with its cycle. */
    unit: tag('unit').optional(),
    result: ResultTag.optional(),
    /** Set on the line's last station: each cycle there is also a `unit` event (下线), with the serial. */
    completesUnit: z.boolean({ error: 'completesUnit must be true or false' }).optional(),
    /** Unit model tag, sent with the `unit` event of a station that completes units. */
    model: tag('model').optional(),
    /** The finished unit's overall result (any station's nok), for the `unit` event; default: this station's `result`. */
    unitResult: ResultTag.optional(),
    andon: AndonTag.optional(),
  })
  .refine((s) => s.cycleCounter !== undefined || s.state !== undefined || s.andon !== undefined, {
    error: 'map at least one of cycleCounter, state or andon: without them the station sends nothing',
  })
  .refine((s) => s.cycleTime === undefined || s.cycleCounter !== undefined, {
    error: 'cycleTime needs cycleCounter: the counter says when a cycle ends',
    path: ['cycleTime'],
  })
  .refine((s) => s.completesUnit !== true || (s.cycleCounter !== undefined && s.unit !== undefined), {
    error: 'completesUnit needs cycleCounter and unit: a unit event needs the serial of the unit that finished',
    path: ['completesUnit'],
  });
export type StationTags = z.infer<typeof StationTags>;

export const OPCUA_SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export const OPCUA_SECURITY_POLICIES = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss', 'Basic256', 'Basic128Rsa15'] as const;

/** OPC UA NodeId in string form: `ns=2;s=…`, `ns=2;i=42`, `i=2258`, `nsu=urn:…;s=…`. */
const NODE_ID_PATTERN = /^((ns=\d{1,5}|nsu=[^;]+);)?[isgb]=.+$/;

/** One OPC UA server and the stations it serves. */
export const OpcuaSource = z
  .strictObject({
    /** Names the source in health, metrics and logs. */
    id: id('id'),
    endpoint: z
      .string({ error: 'endpoint must be a string' })
      .regex(/^opc\.tcp:\/\/[^\s/:]+(:\d{1,5})?(\/\S*)?$/, { error: "endpoint must be an OPC UA URL such as 'opc.tcp://10.1.2.3:4840'" }),
    securityMode: z.enum(OPCUA_SECURITY_MODES, { error: `securityMode must be one of ${OPCUA_SECURITY_MODES.join(', ')}` }).optional(),
    securityPolicy: z.enum(OPCUA_SECURITY_POLICIES, { error: `securityPolicy must be one of ${OPCUA_SECURITY_POLICIES.join(', ')}` }).optional(),
    /** User name; the password is read from the environment variable named by `passwordEnv`, never from the file. */
    username: z.string({ error: 'username must be a string' }).min(1).max(128).optional(),
    passwordEnv: z
      .string({ error: 'passwordEnv must be the name of an environment variable' })
      .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, { error: 'passwordEnv must be an environment variable name such as PLC7_PASSWORD' })
      .optional(),
    /** How often the server sends changes, milliseconds. @default 1000 */
    publishingIntervalMs: z.number().int().min(50, { error: 'publishingIntervalMs must be at least 50' }).max(60_000, { error: 'publishingIntervalMs must be at most 60000' }).optional(),
    /** How often the server samples each tag, milliseconds; 0 asks for every change. @default 0 */
    samplingIntervalMs: z.number().int().min(0, { error: 'samplingIntervalMs must be 0 (every change) or more' }).max(60_000, { error: 'samplingIntervalMs must be at most 60000' }).optional(),
    /**
     * A subscription that delivers nothing (no data, no keep-alive) for longer than this is
     * recreated, seconds. @default 3 × keep-alive interval (10 publishing intervals), at least 5
     */
    silenceSeconds: z.number().min(1, { error: 'silenceSeconds must be at least 1' }).max(3600, { error: 'silenceSeconds must be at most 3600' }).optional(),
    stations: z.array(StationTags).min(1, { error: 'stations must list at least one station tag map' }).max(500),
  })
  .refine((s) => (s.securityMode ?? 'None') === 'None' ? (s.securityPolicy ?? 'None') === 'None' : (s.securityPolicy ?? 'None') !== 'None', {
    error: "securityMode and securityPolicy go together: both 'None', or a mode with a policy such as Basic256Sha256",
    path: ['securityPolicy'],
  })
  .refine((s) => (s.username === undefined) === (s.passwordEnv === undefined), {
    error: 'username and passwordEnv go together (the password comes from that environment variable)',
    path: ['passwordEnv'],
  })
  .superRefine((s, ctx) => {
    s.stations.forEach((station, i) => {
      for (const [field, address] of tagAddresses(station)) {
        if (!NODE_ID_PATTERN.test(address)) {
          ctx.addIssue({
            code: 'custom',
            path: ['stations', i, ...field.split('.')],
            message: `${field} '${address.slice(0, 80)}' is not an OPC UA NodeId such as 'ns=2;s=A1.S01.CycleCounter'`,
          });
        }
      }
    });
  });
export type OpcuaSource = z.infer<typeof OpcuaSource>;

/** One Sparkplug B edge node (or one of its devices) and the stations it serves. */
export const SparkplugSource = z.strictObject({
  group: z.string().regex(/^[^\s/+#]{1,64}$/, { error: "group must be 1–64 characters without spaces, '/', '+' or '#'" }),
  /** Edge node id. */
  node: z.string().regex(/^[^\s/+#]{1,64}$/, { error: "node must be 1–64 characters without spaces, '/', '+' or '#'" }),
  /** Device id under the edge node; unset: the node's own metrics. */
  device: z.string().regex(/^[^\s/+#]{1,64}$/, { error: "device must be 1–64 characters without spaces, '/', '+' or '#'" }).optional(),
  stations: z.array(StationTags).min(1, { error: 'stations must list at least one station tag map' }).max(500),
});
export type SparkplugSource = z.infer<typeof SparkplugSource>;

export const ConnectorsConfig = z.strictObject({
  opcua: z.array(OpcuaSource).max(200).optional(),
  sparkplug: z.array(SparkplugSource).max(1000).optional(),
});
export type ConnectorsConfig = z.infer<typeof ConnectorsConfig>;

/** Every tag a station maps, with the field it is in (`state.faultCode`). */
export function tagAddresses(station: StationTags): [string, string][] {
  const out: [string, string][] = [];
  const add = (field: string, address: string | undefined) => {
    if (address !== undefined) out.push([field, address]);
  };
  add('cycleCounter', station.cycleCounter);
  add('cycleTime', station.cycleTime);
  add('state.tag', station.state?.tag);
  add('state.faultCode', station.state?.faultCode);
  add('unit', station.unit);
  add('result.tag', station.result?.tag);
  add('model', station.model);
  add('unitResult.tag', station.unitResult?.tag);
  add('andon.tag', station.andon?.tag);
  return out;
}

/** Lines and stations the tag maps name must be in the plant (checked by PlantConfig). */
export function unknownConnectorStations(
  connectors: ConnectorsConfig,
  lines: readonly { id: string; stations: readonly { id: string }[] }[],
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const check = (kind: 'opcua' | 'sparkplug', sources: readonly { stations: readonly StationTags[] }[] | undefined) => {
    sources?.forEach((source, i) =>
      source.stations.forEach((s, j) => {
        const line = lines.find((l) => l.id === s.line);
        if (!line) problems.push({ path: ['connectors', kind, i, 'stations', j, 'line'], message: `line '${s.line}' is not one of the plant's lines (${lines.map((l) => l.id).join(', ')})` });
        else if (!line.stations.some((st) => st.id === s.station)) {
          problems.push({ path: ['connectors', kind, i, 'stations', j, 'station'], message: `station '${s.station}' is not on line '${s.line}'` });
        }
      }),
    );
  };
  check('opcua', connectors.opcua);
  check('sparkplug', connectors.sparkplug);
  return problems;
}

/** PLC state codes of the reference line's PLCs (the simulator's OPC UA server and the test PLC use them). */
export const REFERENCE_STATE_CODES: Readonly<Record<string, (typeof STATION_STATES)[number]>> = {
  '0': 'offline',
  '1': 'running',
  '2': 'idle',
  '3': 'starved',
  '4': 'blocked',
  '5': 'fault',
  '6': 'maintenance',
};

/** The reference line's tag naming: `ns=<ns>;s=<line>.<station>.<Tag>` (OPC UA) or `<station>/<Tag>` (Sparkplug). */
export function referenceStationTags(
  line: string,
  station: string,
  options: { completesUnit: boolean; address?: (name: string) => string },
): StationTags {
  const at = options.address ?? ((name: string) => `ns=1;s=${line}.${station}.${name}`);
  return {
    line,
    station,
    cycleCounter: at('CycleCounter'),
    cycleTime: at('CycleTime'),
    state: { tag: at('State'), map: { ...REFERENCE_STATE_CODES }, faultCode: at('FaultCode') },
    unit: at('UnitSerial'),
    result: { tag: at('Result'), map: { '0': 'none', '1': 'ok', '2': 'nok' } },
    ...(options.completesUnit ? { completesUnit: true, model: at('Model'), unitResult: { tag: at('UnitResult'), map: { '0': 'none', '1': 'ok', '2': 'nok' } } } : {}),
    andon: { tag: at('Andon') },
  };
}
