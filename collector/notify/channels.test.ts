import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelConfig } from '../../core/andon/config';
import { createSender, dingTalkSignedUrl, SendError } from './channels';
import type { Delivery } from './outbox';

let base = '';
let answer: { status: number; body: string } = { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
const got: { url: string; body: string }[] = [];
const server = createServer((req: IncomingMessage, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    got.push({ url: req.url ?? '', body });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const delivery: Delivery = {
  id: 'c-1.raise:x', call: 'c-1', line: 'A1', channel: 'x', channelKind: 'wecom', target: 't', status: 'pending', attempts: 0, lastError: null,
  lastAttemptAt: null, nextAttemptAt: 0, createdAt: 0, sentAt: null,
  payload: { title: '【安灯 Andon】A1 S07', markdown: '### A1 S07', text: 'A1 S07 plain', to: null, mobiles: ['13800000003'], webhook: { a: 1 } },
};
const sender = (c: unknown) => createSender(ChannelConfig.parse(c), () => 1_800_000_000_000, 2000);

describe('channel formats', () => {
  it('WeCom text: the plain text with mentioned_mobile_list', async () => {
    await sender({ id: 'x', kind: 'wecom', url: `${base}/cgi-bin/webhook/send?key=k`, msgtype: 'text' }).send(delivery);
    expect(JSON.parse(got.at(-1)?.body ?? '')).toEqual({ msgtype: 'text', text: { content: 'A1 S07 plain', mentioned_mobile_list: ['13800000003'] } });
  });
  it('DingTalk text without a secret: the URL as configured, @mobile in the text and in at.atMobiles', async () => {
    await sender({ id: 'x', kind: 'dingtalk', url: `${base}/robot/send?access_token=t`, msgtype: 'text' }).send(delivery);
    expect(got.at(-1)?.url).toBe('/robot/send?access_token=t');
    expect(JSON.parse(got.at(-1)?.body ?? '')).toEqual({ msgtype: 'text', text: { content: 'A1 S07 plain\n\n@13800000003' }, at: { atMobiles: ['13800000003'], isAtAll: false } });
  });
  it('DingTalk signature: base64 HMAC-SHA256 of "timestamp\\nsecret", URL-encoded, as DingTalk\'s Python sample computes it', () => {
    // Expected value computed with DingTalk's documented Python (hmac, base64, urllib.parse.quote_plus), not with this code.
    const url = dingTalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', 'this is secret', 1_577_836_800_000);
    expect(url).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1577836800000&sign=fFV9t5lBS7KH4%2B5B0JjR99ab%2BAJkXFauQXycgTkS%2Ftc%3D');
  });
  it('a robot answering errcode ≠ 0, or any receiver answering non-2xx, is a failed attempt with its reason', async () => {
    answer = { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' };
    await expect(sender({ id: 'x', kind: 'wecom', url: `${base}/w` }).send(delivery)).rejects.toThrow(/errcode 93000 invalid webhook url/);
    answer = { status: 500, body: 'down' };
    const hook = sender({ id: 'x', kind: 'webhook', url: `${base}/h`, secret: '0123456789abcdef' });
    await expect(hook.send(delivery)).rejects.toBeInstanceOf(SendError);
    answer = { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
  });
});
