/**
 * Fuzz: more than 10,000 seeded hostile inputs per transport (HTTP, WebSocket,
 * MQTT): wrong types, NaN and Infinity, huge strings, deep nesting, invalid
 * UTF-8, injection attempts in every string field, absurd timestamps,
 * unregistered partner and entity names, prototype names. Then thousands of
 * hostile requests to the read API: request targets, parameters and headers
 * built from the same kind of pieces, none of which may earn a 5xx. Each
 * invalid input gets a 4xx-class answer with a reason, the collector stays
 * up, nothing is left unhandled, and InfluxDB afterwards holds exactly the
 * valid events (hostile-but-valid text included, byte for byte).
 *
 * Which inputs are valid is decided by the generator, from how it built each
 * one, never by asking the validator.
 */
import { setLogger } from '@influxdata/influxdb-client';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { MqttRejection } from '../mqtt/connector';
import { startTestMosquitto, type TestMosquitto } from './support/mosquitto';
import { startStack, TEST_INGEST_TOKEN, type Stack } from './support/stack';
import { seededRandom } from './support/seeded-random';

const INPUTS_PER_TRANSPORT = 10_000;
const BATCH = 100;

let broker: TestMosquitto;
let stack: Stack;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  setLogger({ error: () => undefined, warn: () => undefined });
  process.on('unhandledRejection', onUnhandled);
  broker = await startTestMosquitto();
  stack = await startStack({ config: { mqttUrl: broker.url, mqttTopic: 'fuzz/+/events', mqttErrorTopic: 'fuzz/errors', mqttClientId: 'fuzz-collector' } });
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await stack?.stop();
  await broker?.dispose();
});

/** One input: a line of JSON text, and whether the generator built it valid. */
interface Input {
  text: string;
  valid: boolean;
  id?: string;
  /** Free text the stored point must carry byte for byte (hostile but valid). */
  text_field?: { name: 'reason' | 'note'; value: string };
}

const INJECTIONS = [
  `A1" OR 1=1 --`,
  `A1'; DROP MEASUREMENT cycle; --`,
  'A1,station=S99 cycleTime=1 1700000000000000000',
  'A1 cycleTime=1',
  'A1\\',
  'A1\nS01',
  `" ; DROP DATABASE "taktline`,
  '$(rm -rf /)',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  'A1\u0000',
  'SELECT * FROM cycle WHERE 1=1',
  '${jndi:ldap://x}',
];
/** Free text that must be stored as is: no control characters, within length. */
const VALID_HOSTILE_TEXT = [
  `'"; DROP DATABASE taktline; --`,
  'x\\" OR "1"="1',
  ',tag=1 field=2 1700000000',
  '\\',
  'SELECT * FROM "cycle"; DELETE FROM unit',
  '故障 停线 🚗',
  'zero\u200dwidth',
  '#{7*7} {{7*7}} %s%n',
];
const ABSURD_TS: unknown[] = [0, -1, 1e20, 1.5, 1_700_000_000, 'yesterday', '2027-13-45T99:99:99Z', '2027-03-01T08:00:00', true, null, [], {}];

function generator(seed: number, prefix: string) {
  const random = seededRandom(seed);
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const now = Date.now();
  let n = 0;

  function base(): Record<string, unknown> {
    n += 1;
    const ts = now - 1000 - Math.floor(random() * 60_000);
    const id = `${prefix}-${n}`;
    switch (Math.floor(random() * 6)) {
      case 0:
        return { type: 'cycle', ts, id, line: 'A1', station: pick(['S01', 'S05', 'S20']), cycleTime: 60 + Math.floor(random() * 120), result: 'ok' };
      case 1:
        return { type: 'state', ts, id, line: 'A1', station: 'S02', state: pick(['running', 'fault', 'starved']), reason: 'ok' };
      case 2:
        return { type: 'unit', ts, id, line: 'A1', unit: `LVIN${n}`, model: 'SUV-7' };
      case 3:
        return { type: 'orders', ts, id, total: 120_000 + n };
      case 4:
        return { type: 'partner', ts, id, partner: 'P-BATT-01', status: 'at_risk', inventoryHours: 3.5, note: 'ok' };
      default:
        return { type: 'output', ts, id, entity: pick(['PLANT-A1', 'P-BATT-01']), period: '2027-03', value: 1e9 };
    }
  }
  const stringFields = (e: Record<string, unknown>) => Object.keys(e).filter((k) => typeof e[k] === 'string' && k !== 'id');

  /** A hostile input; about 1 in 5 is valid (hostile text where the protocol allows free text, or odd-but-legal ids). */
  function next(): Input {
    const e = base();
    const roll = random();
    if (roll < 0.1) {
      // Valid: hostile free text, stored as is.
      const name = e.type === 'partner' ? 'note' : 'reason';
      if (e.type !== 'partner' && e.type !== 'state') {
        return { text: JSON.stringify(e), valid: true, id: e.id as string };
      }
      const value = pick(VALID_HOSTILE_TEXT);
      e[name] = value;
      return { text: JSON.stringify(e), valid: true, id: e.id as string, text_field: { name, value } };
    }
    if (roll < 0.2) {
      // Valid: an id of printable ASCII full of quoting characters.
      e.id = `${e.id as string}'";\\,=${pick(['', '{}', '$', '`'])}`;
      return { text: JSON.stringify(e), valid: true, id: e.id as string };
    }
    const kind = Math.floor(random() * 15);
    switch (kind) {
      case 0: {
        // Injection in a string field that must be an identifier or an enum.
        const field = pick(stringFields(e).filter((k) => k !== 'reason' && k !== 'note'));
        e[field] = pick(INJECTIONS);
        break;
      }
      case 1: {
        // Wrong type in any field.
        const field = pick(Object.keys(e));
        // Always a JSON type other than the field's own.
        e[field] = typeof e[field] === 'number' ? pick<unknown>(['42', true, null, [], {}, [42], { $gt: '' }]) : pick<unknown>([42, -0.5, true, null, [], {}, ['A1'], { $gt: '' }]);
        break;
      }
      case 2:
        // Numbers JSON cannot carry: raw text with NaN / Infinity / an overflowing literal.
        return { text: JSON.stringify({ ...e, type: 'cycle', line: 'A1', station: 'S01', cycleTime: 1 }).replace('"cycleTime":1', `"cycleTime":${pick(['NaN', 'Infinity', '-Infinity', '1e400', '-1e400'])}`), valid: false };
      case 3:
        // Huge strings.
        e[pick([...stringFields(e), 'id'])] = pick(['A', '中', '"']).repeat(1000 + Math.floor(random() * 20_000));
        break;
      case 4:
        // Deep nesting inside an item (within the body's depth limit, so only this item fails).
        e[pick(Object.keys(e))] = [[[[['A1']]]]];
        break;
      case 5:
        e.ts = pick(ABSURD_TS);
        break;
      case 6:
        // Too far in the future, too old.
        e.ts = pick([now + 86_400_000, now + 3_600_000, now - 30 * 86_400_000]);
        break;
      case 7:
        // Type confusion and unknown fields.
        if (random() < 0.5) e.type = pick(['Cycle', 'cycles', '', 'cycle ', 'delete', '__proto__']);
        else e[pick(['constructor', 'prototype', 'extra', 'tags', 'measurement'])] = 'x';
        break;
      case 8:
        // Control characters and over-long free text.
        if (e.type === 'state' || e.type === 'partner') e[e.type === 'state' ? 'reason' : 'note'] = pick(['line\nbreak', 'tab\there', 'nul\u0000', 'esc\u001b[2J', 'x'.repeat(501)]);
        else e.id = pick(['has space', 'x'.repeat(129), 'tab\tid', 'nul\u0000', '', 'é-not-ascii']);
        break;
      case 9:
        // Out-of-range values.
        if (e.type === 'cycle') e.cycleTime = pick([0, -1, 86_401, 1e308]);
        else if (e.type === 'orders') e.total = pick([-1, 1.5, 1e13]);
        else if (e.type === 'partner') e.onTimeRate = pick([2, -0.1]);
        else if (e.type === 'output') e.period = pick(['2027-13', '2027-3', '27-03', '2027-03-01']);
        else if (e.type === 'state') e.state = pick(['exploded', 'RUNNING', '']);
        else e.result = pick(['maybe', 'OK', '']);
        break;
      case 10:
        // Unknown line or station.
        if ('line' in e) e.line = pick(['Z9', 'A2', 'a1']);
        else e.type = 'unknown';
        if ('station' in e && random() < 0.5) e.station = 'S99';
        break;
      case 11:
        // Not an object.
        return { text: JSON.stringify(pick<unknown>([null, 42, 'cycle', [], [e], true, 0])), valid: false };
      case 14:
        // Names outside the partner registry (each would be a new series), prototype names included.
        if (e.type === 'partner') e.partner = pick(['P-NEW-01', 'constructor', 'toString', 'PLANT-A1', `P-${n}`]);
        else if (e.type === 'output') e.entity = pick(['cluster', 'constructor', 'valueOf', `E-${n}`]);
        else if ('station' in e) e.station = pick(['constructor', 'toString', 'hasOwnProperty']);
        else e.type = pick(['constructor', 'toString', 'valueOf']);
        break;
      case 12:
        // Broken JSON.
        return { text: pick(['{"type":"cycle",', '{"type":"cycle",,}', "{'type':'cycle'}", '{"a":1}{"b":2}', '{"type":"cycle"} trailing', '{"type":"\\x41"}', '{"type":"cycle"']), valid: false };
      default:
        // Lone surrogates and escaped NULs where text goes.
        return { text: JSON.stringify(e).replace(/"(line|unit|entity|reason|note|status|type)":"[^"]*"/, `"$1":"${pick(['\\ud800', '\\udfff', '\\u0000', 'A\\u0001'])}"`), valid: false };
    }
    return { text: JSON.stringify(e), valid: false };
  }
  return next;
}

/** Whole-body / whole-frame attacks: each must be refused as a whole. */
/** Whether `text` is JSON on its own (it can then go inside a batch). */
function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function wholeBodyAttacks(): Buffer[] {
  return [
    Buffer.from([0xff, 0xfe, 0xfd]),
    Buffer.from([0x5b, 0xc0, 0xaf, 0x5d]), // overlong '/'
    Buffer.from([0x5b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x5d]), // UTF-8-encoded surrogate
    Buffer.from([0x7b, 0x22, 0x74, 0x79, 0x70, 0x65, 0x22, 0x3a, 0x22, 0xe4, 0xb8, 0x22, 0x7d]), // truncated multi-byte
    Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)),
    Buffer.from('{"a":'.repeat(5000) + '1' + '}'.repeat(5000)),
    Buffer.from(`[${'[1,'.repeat(20)}1${']'.repeat(20)}]`),
    Buffer.from(''),
    Buffer.from('   \n  '),
    Buffer.from('[]'),
    Buffer.from('['),
    Buffer.from('nul\u0000l'),
    Buffer.from('NaN'),
  ];
}

function countIds(rows: Record<string, unknown>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) if (row.id !== null && row.id !== undefined) counts.set(String(row.id), (counts.get(String(row.id)) ?? 0) + 1);
  return counts;
}

interface Tally {
  valid: Input[];
  sent: number;
}

describe('hostile input', () => {
  const tallies = new Map<string, Tally>();

  it('HTTP: every invalid input is named with a reason, every valid one accepted', async () => {
    const next = generator(1, 'fh');
    const tally: Tally = { valid: [], sent: 0 };
    tallies.set('http', tally);
    const post = (body: Buffer | string, type = 'application/x-ndjson') =>
      fetch(`${stack.baseUrl}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}`, 'content-type': type }, body });
    while (tally.sent < INPUTS_PER_TRANSPORT) {
      const inputs = Array.from({ length: BATCH }, next);
      tally.sent += inputs.length;
      const res = await post(inputs.map((i) => i.text).join('\n'));
      const body = (await res.json()) as { accepted: number; rejected: { index: number; reason: string }[] };
      const validCount = inputs.filter((i) => i.valid).length;
      expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(validCount > 0 ? 200 : 400);
      expect(body.accepted).toBe(validCount);
      expect(body.rejected.map((r) => r.index)).toEqual(inputs.flatMap((i, index) => (i.valid ? [] : [index])));
      for (const r of body.rejected) expect(r.reason.length).toBeGreaterThan(5);
      tally.valid.push(...inputs.filter((i) => i.valid));
    }
    const attacks: [Buffer | string, string][] = [
      ...wholeBodyAttacks().map((b): [Buffer, string] => [b, 'application/json']),
      ...wholeBodyAttacks().map((b): [Buffer, string] => [b, 'application/x-ndjson']),
      [Buffer.alloc(5 * 1024 * 1024, 0x20), 'application/json'],
      ['[{"type":"cycle"}]', 'text/plain'],
      ['[{"type":"cycle"}]', 'application/x-www-form-urlencoded'],
      ['<xml/>', 'application/xml'],
    ];
    for (const [body, type] of attacks) {
      const res = await post(body, type);
      tally.sent += 1;
      const answer = (await res.json()) as { error?: { code: string; message: string }; rejected?: { reason: string }[] };
      expect(res.status, `${type} ${String(body).slice(0, 40)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(answer.error?.message ?? answer.rejected?.[0]?.reason ?? '').not.toBe('');
    }
  });

  it('WebSocket: every frame is answered, rejections carry reasons', async () => {
    const next = generator(2, 'fw');
    const tally: Tally = { valid: [], sent: 0 };
    tallies.set('ws', tally);
    const ws = new WebSocket(`${stack.baseUrl.replace('http', 'ws')}/api/v1/ingest`, { headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}` } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answers: { type: string; batch: string | null; accepted?: number; rejected?: { index: number; reason: string }[]; code?: string; message?: string }[] = [];
    let wake: (() => void) | null = null;
    ws.on('message', (data) => {
      answers.push(JSON.parse(String(data)) as (typeof answers)[number]);
      wake?.();
    });
    const answered = async (count: number) => {
      while (answers.length < count) await new Promise<void>((r) => (wake = r));
    };
    const frames: { frame: Buffer | string; inputs: Input[] | null }[] = [];
    while (tally.sent < INPUTS_PER_TRANSPORT) {
      const inputs = Array.from({ length: BATCH }, next);
      tally.sent += inputs.length;
      // Items that are JSON on their own go in one framed batch; raw-text attacks get a frame each.
      const objects = inputs.filter((i) => parsesAsJson(i.text));
      frames.push({ frame: `{"batch":"b${frames.length}","events":[${objects.map((i) => i.text).join(',')}]}`, inputs: objects });
      for (const raw of inputs.filter((i) => !objects.includes(i))) frames.push({ frame: raw.text, inputs: null });
      tally.valid.push(...objects.filter((i) => i.valid));
    }
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    const isUtf8 = (b: Buffer) => {
      try {
        utf8.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    for (const attack of wholeBodyAttacks().filter(isUtf8)) {
      frames.push({ frame: attack.toString('utf8'), inputs: null });
      tally.sent += 1;
    }
    frames.push({ frame: Buffer.from([1, 2, 3]), inputs: null }); // binary frame
    frames.push({ frame: '{"batch":"has space","events":[]}', inputs: null });
    frames.push({ frame: '{"batch":"x","events":{},"extra":1}', inputs: null });
    for (const [i, { frame }] of frames.entries()) {
      ws.send(frame, { binary: typeof frame !== 'string' });
      if (i % 50 === 49) await answered(i + 1);
    }
    await answered(frames.length);
    ws.close();
    for (const { frame, inputs } of frames) {
      if (inputs === null) continue;
      const batch = /^\{"batch":"(b\d+)"/.exec(String(frame))?.[1] ?? null;
      const answer = answers.find((a) => a.batch === batch);
      expect(answer?.type).toBe('ack');
      expect(answer?.accepted).toBe(inputs.filter((i) => i.valid).length);
      expect(answer?.rejected?.map((r) => r.index)).toEqual(inputs.flatMap((inp, index) => (inp.valid ? [] : [index])));
    }
    const errors = answers.filter((a) => a.type === 'error');
    expect(errors).toHaveLength(frames.filter((f) => f.inputs === null).length);
    for (const e of errors) expect(e.message?.length).toBeGreaterThan(5);

    // Text frames that are not UTF-8, and frames past the size limit, are protocol errors: the socket is
    // closed with the WebSocket status for them (1007, 1009) and a reason, and the collector carries on.
    const closeCode = async (frame: Buffer, binary: boolean) => {
      const socket = new WebSocket(`${stack.baseUrl.replace('http', 'ws')}/api/v1/ingest`, { headers: { authorization: `Bearer ${TEST_INGEST_TOKEN}` } });
      await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
      const closed = new Promise<[number, string]>((resolve) => socket.once('close', (code, reason) => resolve([code, reason.toString()])));
      socket.on('error', () => undefined);
      socket.send(frame, { binary });
      return closed;
    };
    for (const attack of wholeBodyAttacks().filter((b) => !isUtf8(b))) {
      tally.sent += 1;
      expect((await closeCode(attack, false))[0]).toBe(1007);
    }
    tally.sent += 1;
    expect((await closeCode(Buffer.alloc(5 * 1024 * 1024, 0x20), false))[0]).toBe(1009);
  });

  it('MQTT: every rejected payload or event is reported on the error topic', { timeout: 90_000 }, async () => {
    const next = generator(3, 'fm');
    const tally: Tally = { valid: [], sent: 0 };
    tallies.set('mqtt', tally);
    const client: MqttClient = await connectAsync(broker.url, { clientId: 'fuzz-station' });
    const reports: MqttRejection[] = [];
    await client.subscribeAsync('fuzz/errors', { qos: 1 });
    client.on('message', (_topic, payload) => reports.push(JSON.parse(payload.toString()) as MqttRejection));
    let expectedRejections = 0;
    const payloads: (Buffer | string)[] = [];
    while (tally.sent < INPUTS_PER_TRANSPORT) {
      const inputs = Array.from({ length: BATCH }, next);
      tally.sent += inputs.length;
      const objects = inputs.filter((i) => parsesAsJson(i.text));
      payloads.push(`[${objects.map((i) => i.text).join(',')}]`);
      expectedRejections += objects.filter((i) => !i.valid).length;
      for (const raw of inputs.filter((i) => !objects.includes(i))) {
        payloads.push(raw.text);
        expectedRejections += 1;
      }
      tally.valid.push(...objects.filter((i) => i.valid));
    }
    for (const attack of wholeBodyAttacks()) {
      payloads.push(attack);
      tally.sent += 1;
      expectedRejections += 1;
    }
    for (const payload of payloads) await client.publishAsync('fuzz/gw1/events', payload, { qos: 1 });
    const deadline = Date.now() + 30_000;
    const reported = () => reports.reduce((n, r) => n + Math.max(1, r.rejected.length), 0);
    while (reported() < expectedRejections && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await client.endAsync();
    expect(reported()).toBe(expectedRejections);
    for (const r of reports) {
      expect(r.message.length).toBeGreaterThan(5);
      for (const e of r.rejected) expect(e.reason.length).toBeGreaterThan(5);
    }
  });

  it('read API: hostile targets, parameters and headers get answers below 500', { timeout: 120_000 }, async () => {
    const random = seededRandom(4);
    const pick = <T,>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const routes = stack.app().routes().filter((r) => r.method === 'GET').map((r) => r.path);
    const names = ['line', 'range', 'from', 'to', 'now', 'type', 'format', 'partner', 'entity', 'station', '__proto__', 'constructor'];
    const values = [
      'A1', 'constructor', '__proto__', 'toString', 'valueOf', 'shift:current', 'day:today', 'week:previous', 'csv', 'json', 'unit', 'cycle',
      '9999-12-31T23:59:59Z', '1677-09-21T00:12:43Z', '2262-04-11T23:47:16Z', '0', '-1', '99999999999999', '1e308', 'NaN', 'Infinity',
      '2027-03-01T08:00:00+08:00', '2027-02-30T08:00:00Z', '2027-03-01T25:00:00Z', '', ' ', '%', '%ZZ', '%00', '%ff%fe', '\u0000',
      '中文', '🚗', "' OR 1=1 --", '"; DROP DATABASE taktline', 'a'.repeat(5000), '[]', '{}', '../../etc/passwd',
      ...INJECTIONS,
    ];
    // Half fully encoded; half raw where a request line allows it (printable ASCII but # and &), so '%ZZ' and '%00' arrive as sent.
    const encode = (v: string) =>
      random() < 0.5 ? encodeURIComponent(v) : [...v].map((c) => (/^[\x21-\x7e]$/.test(c) && c !== '#' && c !== '&' ? c : encodeURIComponent(c))).join('');
    const targets: string[] = [];
    for (let i = 0; i < 3000; i += 1) {
      const route = pick(routes);
      const query = Array.from({ length: 1 + Math.floor(random() * 4) }, () => `${encode(pick(names))}=${encode(pick(values))}`);
      if (random() < 0.7) query.unshift('line=A1');
      targets.push(`${route}?${query.join('&')}`);
    }
    let answered = 0;
    for (let i = 0; i < targets.length; i += 20) {
      await Promise.all(
        targets.slice(i, i + 20).map(async (target) => {
          const res = await fetch(`${stack.baseUrl}${target}`, {
            headers: random() < 0.3 ? { origin: pick(['null', 'http://evil.example', '\u00ff']), 'accept-language': pick(values.filter((v) => /^[\x20-\x7e]*$/.test(v))) } : {},
          });
          const text = await res.text();
          expect(res.status, `${target.slice(0, 200)}: ${text.slice(0, 200)}`).toBeLessThan(500);
          if (res.status >= 400) expect((JSON.parse(text) as { error: { message: string } }).error.message.length, target.slice(0, 200)).toBeGreaterThan(5);
          expect(text).not.toMatch(/native code|overflowed|RangeError|TypeError/);
          answered += 1;
        }),
      );
    }
    expect(answered).toBe(targets.length);
  });

  it('leaves the collector up, nothing unhandled, and only the valid events in InfluxDB', async () => {
    expect([...tallies.values()].map((t) => t.sent >= INPUTS_PER_TRANSPORT)).toEqual([true, true, true]);
    const health = await fetch(`${stack.baseUrl}/api/v1/health`);
    expect(health.status).toBe(200);
    const valid = [...tallies.values()].flatMap((t) => t.valid);
    const deadline = Date.now() + 30_000;
    while (stack.app().metrics.spool().unwrittenEvents > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const rows = await stack.influxd.query('SELECT "id" FROM "cycle", "state", "unit", "orders", "partner", "output"');
    const stored = countIds(rows);
    // Valid events that differ only in their id are one point (a repeat is counted once, with or without an id):
    // one row per distinct content, each carrying one of that content's ids.
    const contentOf = (v: Input) => {
      const { id: _id, ...rest } = JSON.parse(v.text) as Record<string, unknown>;
      return JSON.stringify(rest, Object.keys(rest).sort());
    };
    const idsByContent = new Map<string, string[]>();
    for (const v of valid) idsByContent.set(contentOf(v), [...(idsByContent.get(contentOf(v)) ?? []), v.id ?? '']);
    expect(rows).toHaveLength(idsByContent.size);
    for (const ids of idsByContent.values()) expect(ids.filter((id) => stored.has(id))).toHaveLength(1);
    // Hostile-but-valid text arrives byte for byte.
    const texts = await stack.influxd.query('SELECT "id", "reason", "note" FROM "state", "partner"');
    const byId = new Map(texts.map((r) => [String(r.id), r]));
    for (const v of valid.filter((i) => i.text_field)) {
      const storedId = (idsByContent.get(contentOf(v)) ?? []).find((id) => byId.has(id)) ?? '';
      expect(byId.get(storedId)?.[v.text_field!.name]).toBe(v.text_field!.value);
    }
    expect(unhandled).toEqual([]);
  });
});
