/**
 * The four channel kinds, each one function from a delivery to an attempt:
 * a generic webhook (JSON, `X-Taktline-Signature: sha256=<hex HMAC-SHA256 of
 * the body>`), a WeCom group robot and a DingTalk group robot (their
 * documented `msgtype` JSON; DingTalk's URL signed with `timestamp` and
 * `sign = base64(HMAC-SHA256(secret, "<timestamp>\n<secret>"))`), and e-mail
 * over SMTP with nodemailer. An attempt throws {@link SendError} when the
 * receiver did not take the message.
 */
import { createHmac } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import type { ChannelConfig } from '../../core/andon/config';
import type { Delivery } from './outbox';

export class SendError extends Error {
  readonly code = 'delivery_failed';
}

export interface ChannelSender {
  id: string;
  kind: ChannelConfig['kind'];
  send(delivery: Delivery): Promise<void>;
  close(): void;
}

/** The webhook signature of a body. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** DingTalk's signed URL: the robot URL plus `timestamp` (ms) and `sign`. */
export function dingTalkSignedUrl(url: string, secret: string, timestamp: number): string {
  const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`, 'utf8').digest('base64');
  const u = new URL(url);
  u.searchParams.set('timestamp', String(timestamp));
  u.searchParams.set('sign', sign);
  return u.toString();
}

async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number; text: string }> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as Error & { cause?: Error };
    throw new SendError(e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `cannot reach ${new URL(url).host}: ${e.cause?.message ?? e.message}`);
  }
  const text = (await res.text().catch(() => '')).slice(0, 300);
  if (res.status < 200 || res.status >= 300) throw new SendError(`${new URL(url).host} answered ${res.status}${text ? `: ${text}` : ''}`);
  return { status: res.status, text };
}

/** Group robots answer 200 with `{"errcode":0}` on success and another errcode (and 200) on failure. */
function checkErrcode(host: string, text: string): void {
  let body: { errcode?: unknown; errmsg?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new SendError(`${host} answered something that is not JSON: ${text.slice(0, 100)}`);
  }
  if (body.errcode !== 0) throw new SendError(`${host} refused the message: errcode ${String(body.errcode)} ${String(body.errmsg ?? '')}`.trim());
}

export function createSender(channel: ChannelConfig, clock: () => number, timeoutMs: number): ChannelSender {
  switch (channel.kind) {
    case 'webhook':
      return {
        id: channel.id,
        kind: channel.kind,
        async send(d) {
          const body = JSON.stringify(d.payload.webhook);
          await post(channel.url, body, { 'x-taktline-signature': webhookSignature(channel.secret, body), 'x-taktline-delivery': d.id }, timeoutMs);
        },
        close() {},
      };
    case 'wecom':
      return {
        id: channel.id,
        kind: channel.kind,
        async send(d) {
          const mentions = d.payload.mobiles;
          const body =
            channel.msgtype === 'text'
              ? { msgtype: 'text', text: { content: d.payload.text, ...(mentions.length > 0 ? { mentioned_mobile_list: mentions } : {}) } }
              : { msgtype: 'markdown', markdown: { content: d.payload.markdown } };
          const { text } = await post(channel.url, JSON.stringify(body), {}, timeoutMs);
          checkErrcode(new URL(channel.url).host, text);
        },
        close() {},
      };
    case 'dingtalk':
      return {
        id: channel.id,
        kind: channel.kind,
        async send(d) {
          const mobiles = d.payload.mobiles;
          // DingTalk @-mentions a mobile only when the text also contains "@<mobile>".
          const at = mobiles.length > 0 ? `\n\n${mobiles.map((m) => `@${m}`).join(' ')}` : '';
          const body =
            channel.msgtype === 'text'
              ? { msgtype: 'text', text: { content: `${d.payload.text}${at}` }, at: { atMobiles: mobiles, isAtAll: false } }
              : { msgtype: 'markdown', markdown: { title: d.payload.title, text: `${d.payload.markdown}${at}` }, at: { atMobiles: mobiles, isAtAll: false } };
          const url = channel.secret ? dingTalkSignedUrl(channel.url, channel.secret, clock()) : channel.url;
          const { text } = await post(url, JSON.stringify(body), {}, timeoutMs);
          checkErrcode(new URL(channel.url).host, text);
        },
        close() {},
      };
    case 'email': {
      const transport: Transporter = createTransport({
        host: channel.host,
        port: channel.port,
        secure: channel.secure,
        ...(channel.user ? { auth: { user: channel.user, pass: channel.pass ?? '' } } : {}),
        connectionTimeout: timeoutMs,
        greetingTimeout: timeoutMs,
        socketTimeout: timeoutMs,
      });
      return {
        id: channel.id,
        kind: channel.kind,
        async send(d) {
          if (!d.payload.to) throw new SendError('the delivery has no e-mail address');
          try {
            await transport.sendMail({
              from: channel.from,
              to: d.payload.to,
              subject: d.payload.title,
              text: d.payload.text,
              // The delivery id as Message-ID: a resend after a crash can be recognised.
              messageId: `<${d.id.replace(/[^A-Za-z0-9._-]/g, '_')}@taktline>`,
            });
          } catch (error) {
            throw new SendError(`SMTP ${channel.host}:${channel.port}: ${(error as Error).message}`);
          }
        },
        close() {
          transport.close();
        },
      };
    }
  }
}
