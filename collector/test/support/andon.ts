/**
 * Test support for andon: a plant with one person per role (PINs hashed the
 * way an admin does), real receivers — local HTTP servers standing in for a
 * webhook, a WeCom robot and a DingTalk robot, and a real SMTP server
 * (`smtp-server`) — and a sign-in helper.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AndonConfig } from '../../../core/andon/config';
import type { Role } from '../../../core/andon/types';
import type { PlantConfig } from '../../../core/plant';
import { hashPin } from '../../auth/secrets';
import { oneShiftPlant } from './plant';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
export const DINGTALK_SECRET = 'SECtest-dingtalk-secret-abcdef';

/** One person per role; PIN = the role's digit four times. */
export const TEST_PEOPLE: { id: string; role: Role; pin: string; email: string; mobile: string; stations?: string[] }[] = [
  { id: 'op1', role: 'operator', pin: '1111', email: 'op1@plant.test', mobile: '13800000001', stations: ['S01', 'S02'] },
  { id: 'tl1', role: 'team_leader', pin: '2222', email: 'tl1@plant.test', mobile: '13800000002' },
  { id: 'mt1', role: 'maintenance', pin: '3333', email: 'mt1@plant.test', mobile: '13800000003' },
  { id: 'sv1', role: 'supervisor', pin: '4444', email: 'sv1@plant.test', mobile: '13800000004' },
  { id: 'mg1', role: 'manager', pin: '5555', email: 'mg1@plant.test', mobile: '13800000005' },
  { id: 'ad1', role: 'admin', pin: '6666', email: 'ad1@plant.test', mobile: '13800000006' },
];

export interface ReceiverUrls {
  webhook: string;
  wecom: string;
  dingtalk: string;
  smtpPort: number;
}

/** Line A1 with stations S01–S05, the people above, and channels pointing at the receivers. */
export async function andonPlant(urls: ReceiverUrls | null, andon: Partial<AndonConfig> = {}): Promise<PlantConfig> {
  const plant = oneShiftPlant({ timeZone: 'UTC', stations: ['S01', 'S02', 'S03', 'S04', 'S05'] });
  // Planned time all day, so time-of-day never decides a test.
  const line = plant.lines[0];
  if (line?.calendar) line.calendar.shifts = [{ id: 'all', name: { zh: '全天', en: 'All day' }, start: '06:00', end: '06:00', breaks: [] }];
  // A cheap scrypt cost keeps the suite fast; the format and the check are the production ones.
  plant.people = await Promise.all(
    TEST_PEOPLE.map(async (p) => ({
      id: p.id,
      name: `${p.role} ${p.id}`,
      role: p.role,
      lines: ['A1'],
      stations: p.stations ?? [],
      pinHash: await hashPin(p.pin, { N: 1024, r: 8, p: 1 }),
      notify: { email: p.email, mobile: p.mobile },
    })),
  );
  const channels: AndonConfig['channels'] = urls
    ? [
        { id: 'hook', kind: 'webhook', url: urls.webhook, secret: WEBHOOK_SECRET },
        { id: 'wecom', kind: 'wecom', url: urls.wecom, msgtype: 'markdown' },
        { id: 'ding', kind: 'dingtalk', url: urls.dingtalk, secret: DINGTALK_SECRET, msgtype: 'markdown' },
        { id: 'mail', kind: 'email', host: '127.0.0.1', port: urls.smtpPort, secure: false, from: 'andon@plant.test' },
      ]
    : [];
  plant.andon = {
    kinds: [
      { id: 'maintenance', label: { zh: '设备维修', en: 'Maintenance' }, priority: 'high' },
      { id: 'material', label: { zh: '物料', en: 'Material' }, priority: 'high' },
      { id: 'help', label: { zh: '求助', en: 'Help' }, priority: 'normal' },
    ],
    escalation: urls
      ? [
          { role: 'team_leader', afterSeconds: 0, channels: ['hook', 'wecom'] },
          { role: 'maintenance', afterSeconds: 180, channels: ['ding', 'mail'] },
          { role: 'manager', afterSeconds: 600, channels: ['mail', 'hook'] },
        ]
      : [
          { role: 'team_leader', afterSeconds: 0, channels: [] },
          { role: 'maintenance', afterSeconds: 180, channels: [] },
        ],
    resolutionReasons: [
      { id: 'repaired', label: { zh: '已维修', en: 'Repaired' } },
      { id: 'other', label: { zh: '其他', en: 'Other' } },
    ],
    channels,
    rules: [],
    ...andon,
  };
  return plant;
}

export interface ReceivedRequest {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A local HTTP server that records every POST and answers like the service it stands for. */
export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** While set, answers with this status (and a robot errcode) instead of success. */
  failWith: number | null;
  close(): Promise<void>;
}

export async function startHttpReceiver(answer: 'plain' | 'robot'): Promise<HttpReceiver> {
  const receiver: HttpReceiver = {
    url: '',
    requests: [],
    failWith: null,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (receiver.failWith !== null) {
        res.writeHead(receiver.failWith === 200 ? 200 : receiver.failWith, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errcode: 310000, errmsg: 'keywords not in content' }));
        return;
      }
      receiver.requests.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(answer === 'robot' ? JSON.stringify({ errcode: 0, errmsg: 'ok' }) : '{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

export interface ReceivedMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId: string;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

/** A real SMTP server on a free port (no TLS, no authentication), parsing what it receives. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
          mails.push({ from: parsed.from?.text ?? '', to, subject: parsed.subject ?? '', text: parsed.text ?? '', messageId: parsed.messageId ?? '' });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Signs in; returns the cookie to send, or the failed answer. */
export async function signIn(baseUrl: string, person: string, pin: string): Promise<{ status: number; cookie: string | null; body: unknown; headers: Headers }> {
  const res = await fetch(`${baseUrl}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ person, pin }) });
  const setCookie = res.headers.get('set-cookie');
  const cookie = setCookie ? (setCookie.split(';')[0] ?? null) : null;
  return { status: res.status, cookie, body: await res.json(), headers: res.headers };
}

/** Signs each person in; their session cookies by person id. Throws when one cannot sign in. */
export async function signInAll(baseUrl: string, people: readonly (readonly [id: string, pin: string])[]): Promise<Map<string, string>> {
  const cookies = new Map<string, string>();
  for (const [id, pin] of people) {
    const { cookie } = await signIn(baseUrl, id, pin);
    if (!cookie) throw new Error(`${id} could not sign in`);
    cookies.set(id, cookie);
  }
  return cookies;
}

/** A JSON request with a session cookie. The body is loose on purpose: the tests check it with expect(). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call(baseUrl: string, cookie: string | null, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Polls until `check` returns a value (not undefined/false) or the time is up. */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
