/**
 * The whole andon path against the real collector, a real influxd and real
 * receivers (local HTTP servers for the webhook, WeCom and DingTalk robots,
 * a real SMTP server), on fake time: a fault rule raises a call, the call
 * escalates on time, each receiver gets the right message (the webhook's HMAC
 * and DingTalk's signature checked), an acknowledgement stops the escalation,
 * resolving records who and why, one fault episode raises one call, and a
 * restart mid-call loses nothing and sends nothing twice.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AndonCallView } from '../../core/andon/types';
import { DEFAULT_ANDON_SETTINGS } from '../andon/settings';
import {
  andonPlant,
  call,
  DINGTALK_SECRET,
  eventually,
  signIn,
  startHttpReceiver,
  startSmtpReceiver,
  WEBHOOK_SECRET,
  type HttpReceiver,
  type SmtpReceiver,
} from './support/andon';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let webhook: HttpReceiver;
let wecom: HttpReceiver;
let dingtalk: HttpReceiver;
let smtp: SmtpReceiver;
let offset = 0;
const clock = () => Date.now() + offset;

beforeAll(async () => {
  [webhook, wecom, dingtalk, smtp] = await Promise.all([startHttpReceiver('plain'), startHttpReceiver('robot'), startHttpReceiver('robot'), startSmtpReceiver()]);
  const plant = await andonPlant(
    { webhook: `${webhook.url}/hooks/andon`, wecom: `${wecom.url}/cgi-bin/webhook/send?key=test-key`, dingtalk: `${dingtalk.url}/robot/send?access_token=test-token`, smtpPort: smtp.port },
    { rules: [{ id: 'fault-60', type: 'fault', afterSeconds: 60, stations: [] }] },
  );
  stack = await startStack({
    clock,
    config: { plant, andon: { ...DEFAULT_ANDON_SETTINGS, tickMs: 50, notify: { ...DEFAULT_ANDON_SETTINGS.notify, retryMinMs: 50, retryMaxMs: 200, timeoutMs: 2000 } } },
  });
}, 60_000);
afterAll(async () => {
  await stack.stop();
  await Promise.all([webhook.close(), wecom.close(), dingtalk.close(), smtp.close()]);
});

const calls = async (query = '') => (await call(stack.baseUrl, null, 'GET', `/api/v1/andon/calls?line=A1${query}`)).body.calls as AndonCallView[];
const ticks = (n: number) => new Promise((r) => setTimeout(r, n * 50 + 100));
const state = (station: string, s: string, ts = clock()) => stack.postEvents([{ type: 'state', ts, line: 'A1', station, state: s }]);
const webhookBodies = () => webhook.requests.map((r) => JSON.parse(r.body) as { delivery: string; event: string; tier: number; call: AndonCallView; recipients: { id: string }[] });

describe('a fault rule, escalation and every channel', () => {
  let raised: AndonCallView;

  it('a station in fault longer than the rule says raises one call, and tier 0 is told by webhook and WeCom', async () => {
    await state('S03', 'fault');
    offset += 30_000;
    await ticks(4);
    expect(await calls()).toHaveLength(0); // 30 s of fault: not yet
    offset += 31_000;
    raised = await eventually(async () => (await calls('&station=S03'))[0], 'the rule to raise a call');
    expect(raised).toMatchObject({ kind: 'maintenance', station: 'S03', status: 'open', tier: 0, tierRole: 'team_leader', raisedBy: { kind: 'rule', id: 'fault-60' } });

    const hook = await eventually(() => webhook.requests[0], 'the webhook');
    expect(hook.headers['x-taktline-signature']).toBe(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(hook.body).digest('hex')}`);
    const body = webhookBodies()[0];
    expect(body).toMatchObject({ event: 'andon.raise', tier: 0, call: { id: raised.id, station: 'S03' } });
    expect(body?.recipients.map((r) => r.id)).toEqual(['tl1']);
    expect(hook.headers['x-taktline-delivery']).toBe(body?.delivery);

    const robot = await eventually(() => wecom.requests[0], 'the WeCom robot');
    expect(robot.path).toBe('/cgi-bin/webhook/send');
    expect(robot.query.get('key')).toBe('test-key');
    const msg = JSON.parse(robot.body) as { msgtype: string; markdown: { content: string } };
    expect(msg.msgtype).toBe('markdown');
    expect(msg.markdown.content).toContain('A1 S03');
    expect(msg.markdown.content).toContain('New call');
    expect(dingtalk.requests).toHaveLength(0);
    expect(smtp.mails).toHaveLength(0);

    // Still in fault: the same episode, so no second call however long it lasts.
    offset += 20_000;
    await ticks(4);
    expect(await calls('&station=S03')).toHaveLength(1);
  });

  it('escalates to maintenance at 180 s, not before: DingTalk (signed URL, @mobile) and e-mail', async () => {
    offset = raised.raisedAt + 179_000 - Date.now();
    await ticks(4);
    expect((await calls('&station=S03'))[0]?.tier).toBe(0);
    offset = raised.raisedAt + 180_500 - Date.now();
    const escalated = await eventually(async () => ((await calls('&station=S03'))[0]?.tier === 1 ? (await calls('&station=S03'))[0] : undefined), 'tier 1');
    const step = escalated?.escalations.find((x) => x.tier === 1);
    expect(step?.role).toBe('maintenance');
    expect((step?.at ?? 0) - raised.raisedAt).toBeGreaterThanOrEqual(180_000);
    expect((step?.at ?? 0) - raised.raisedAt).toBeLessThan(182_000);

    const ding = await eventually(() => dingtalk.requests[0], 'the DingTalk robot');
    const timestamp = ding.query.get('timestamp') ?? '';
    expect(ding.query.get('access_token')).toBe('test-token');
    expect(ding.query.get('sign')).toBe(createHmac('sha256', DINGTALK_SECRET).update(`${timestamp}\n${DINGTALK_SECRET}`).digest('base64'));
    expect(ding.path).toBe('/robot/send');
    const dmsg = JSON.parse(ding.body) as { msgtype: string; markdown: { title: string; text: string }; at: { atMobiles: string[] } };
    expect(dmsg.msgtype).toBe('markdown');
    expect(dmsg.markdown.title).toContain('Escalated to tier 1');
    expect(dmsg.at.atMobiles).toEqual(['13800000003']);
    expect(dmsg.markdown.text).toContain('@13800000003');

    const mail = await eventually(() => smtp.mails[0], 'the e-mail');
    expect(mail.to).toBe('mt1@plant.test');
    expect(mail.from).toBe('andon@plant.test');
    expect(mail.subject).toContain('A1 S03');
    expect(mail.subject).toContain('Escalated to tier 1');
    expect(mail.text).toContain(raised.id);
  });

  it('an acknowledgement stops the escalation; resolving records who and why', async () => {
    const { cookie } = await signIn(stack.baseUrl, 'mt1', '3333');
    const ack = await call(stack.baseUrl, cookie, 'POST', '/api/v1/andon/actions', { call: raised.id, action: 'acknowledge' });
    expect(ack.status).toBe(200);
    const mailsBefore = smtp.mails.length;
    const hooksBefore = webhook.requests.length;
    offset = raised.raisedAt + 700_000 - Date.now(); // past the manager's 600 s
    await ticks(6);
    const after = (await calls('&station=S03'))[0];
    expect(after?.tier).toBe(1);
    expect(after?.escalations.map((x) => x.tier)).toEqual([0, 1]);
    expect(smtp.mails.length).toBe(mailsBefore);
    expect(webhook.requests.length).toBe(hooksBefore);

    const resolved = await call(stack.baseUrl, cookie, 'POST', '/api/v1/andon/actions', { call: raised.id, action: 'resolve', reason: 'repaired', note: 'replaced the proximity sensor' });
    expect(resolved.body.call).toMatchObject({ status: 'resolved', resolvedBy: { kind: 'person', id: 'mt1' }, resolution: { reason: 'repaired', note: 'replaced the proximity sensor' } });
    await stack.drained();
    const rows = await stack.influxd.query(`SELECT "actorId", "reason", "note" FROM andon_call WHERE "call" = '${raised.id}' AND "action" = 'resolve'`);
    expect(rows).toEqual([expect.objectContaining({ actorId: 'mt1', reason: 'repaired', note: 'replaced the proximity sensor' })]);
    const detail = await call(stack.baseUrl, null, 'GET', `/api/v1/andon/call?id=${raised.id}`);
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(['andon.raise', 'andon.escalate', 'andon.acknowledge', 'andon.resolve']);
    expect(detail.body.deliveries.every((d: { status: string }) => d.status === 'sent')).toBe(true);

    // Still in fault after the resolve: the same episode raises nothing new; a new fault does.
    await ticks(4);
    expect(await calls('&station=S03&status=all&range=day:today')).toHaveLength(1);
    await state('S03', 'running');
    await ticks(2);
    await state('S03', 'fault');
    offset += 61_000;
    await eventually(async () => (await calls('&station=S03')).length === 1, 'a second call for the second fault');
  });

  it('MTTA and MTTR of the call in /api/v1/kpi, per kind, station and tier', async () => {
    const kpi = await call(stack.baseUrl, null, 'GET', '/api/v1/kpi?line=A1&range=day:today');
    expect(kpi.status).toBe(200);
    const a = kpi.body.andon;
    expect(a.mtta.calls).toBe(1);
    expect(a.mttr.calls).toBe(1);
    expect(a.mtta.seconds).toBeGreaterThan(180);
    expect(a.mttr.seconds).toBeGreaterThanOrEqual(a.mtta.seconds);
    expect(a.byTier.find((t: { tier: number }) => t.tier === 1).mtta.calls).toBe(1);
    expect(a.byStation.find((s: { station: string }) => s.station === 'S03').calls).toBe(2);
  });
});

describe('restart mid-call and a failing channel', () => {
  it('a receiver that keeps failing is a visible warning; after a restart its pending message is sent once, nothing sent twice', async () => {
    const { cookie } = await signIn(stack.baseUrl, 'op1', '1111');
    wecom.failWith = 200; // 200 with errcode ≠ 0: the robot refused
    const raisedRes = await call(stack.baseUrl, cookie, 'POST', '/api/v1/andon/calls', { line: 'A1', station: 'S01', kind: 'help', note: 'across a restart' });
    const c = raisedRes.body.call as AndonCallView;
    await eventually(() => webhookBodies().some((b) => b.call.id === c.id), 'the webhook for the new call');
    const warned = await eventually(async () => {
      const d = await call(stack.baseUrl, null, 'GET', '/api/v1/andon/deliveries?line=A1');
      const ch = (d.body.channels as { id: string; failing: boolean; lastError: string }[]).find((x) => x.id === 'wecom');
      return ch?.failing ? ch : undefined;
    }, 'the WeCom channel shown as failing');
    expect(warned.lastError).toContain('errcode 310000');
    const metrics = await (await fetch(`${stack.baseUrl}/metrics`)).text();
    expect(metrics).toContain('taktline_andon_channel_failing{channel="wecom",kind="wecom"} 1');
    const pending = (await call(stack.baseUrl, null, 'GET', '/api/v1/andon/deliveries')).body.deliveries.find((d: { call: string; channel: string }) => d.call === c.id && d.channel === 'wecom');
    expect(pending).toMatchObject({ status: 'pending' });
    expect(pending.attempts).toBeGreaterThanOrEqual(3);

    await stack.stopCollector();
    wecom.failWith = null;
    await stack.startCollector();

    const back = (await calls()).find((x) => x.id === c.id);
    expect(back).toMatchObject({ status: 'open', note: 'across a restart', raisedBy: { id: 'op1' } });
    await eventually(() => wecom.requests.some((r) => r.body.includes(c.id)), 'the pending WeCom message after the restart');

    // Escalate after the restart: each step is told once.
    offset = c.raisedAt + 181_000 - Date.now();
    await eventually(async () => (await calls()).find((x) => x.id === c.id)?.tier === 1, 'tier 1 after the restart');
    await eventually(() => smtp.mails.some((m) => m.text.includes(c.id)), 'the tier-1 mail');
    await ticks(6);
    const hookIds = webhookBodies().map((b) => b.delivery);
    expect(new Set(hookIds).size).toBe(hookIds.length);
    expect(wecom.requests.filter((r) => r.body.includes(c.id))).toHaveLength(1);
    const mailIds = smtp.mails.map((m) => m.messageId);
    expect(new Set(mailIds).size).toBe(mailIds.length);
    expect(smtp.mails.filter((m) => m.text.includes(c.id))).toHaveLength(1);
    const deliveries = (await call(stack.baseUrl, null, 'GET', '/api/v1/andon/deliveries')).body.deliveries.filter((d: { call: string }) => d.call === c.id);
    expect(deliveries.map((d: { channel: string; status: string }) => `${d.channel}:${d.status}`).sort()).toEqual(['ding:sent', 'hook:sent', 'mail:sent', 'wecom:sent']);
  });
});
