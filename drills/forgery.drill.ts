import { sql } from 'drizzle-orm';
import twilio from 'twilio';
import { createBenchEnv, type BenchEnv } from '../bench/support/bench-env';
import { seedContacts } from '../bench/support/seed';
import { buildApp } from '../src/app';
import type { DrillResult, Scale } from './support/drill';

const PUBLIC = 'https://carebeat.example';
const TOKEN = 'drill-auth-token-0123456789abcdef';

/** Everything a forged request could change, as one comparable string. */
async function snapshot(env: BenchEnv): Promise<string> {
  const { rows } = await env.db.execute(sql`select
    (select count(*) from message_events) as events,
    (select count(*) from provider_events) as provider_events,
    (select count(*) from suppressions) as suppressions,
    (select string_agg(status || ':' || coalesce(provider_message_id, ''), ',' order by id) from messages) as messages,
    (select string_agg(consent_sms::text || consent_email::text, ',' order by id) from contacts) as consent`);
  return JSON.stringify(rows[0]);
}

const form = (params: Record<string, string>) => new URLSearchParams(params).toString();
const sign = (token: string, url: string, params: Record<string, string>) => twilio.getExpectedTwilioSignature(token, url, params);

/** Variations on a genuine token (`<encrypted nonce and address>.<tag>`): edited tag, edited body, truncated, extended, re-encoded, garbage. */
function tamperedTokens(genuine: string): string[] {
  const [nonce, mac] = genuine.split('.'); // named after the first format's parts: the same edits apply
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const list = [
    `${nonce}.${flip(mac, 0)}`, `${nonce}.${flip(mac, mac.length - 1)}`, `${flip(nonce, 0)}.${mac}`, `${flip(nonce, nonce.length - 1)}.${mac}`,
    `${nonce}.${mac.slice(0, -1)}`, `${nonce}.${mac}A`, `${nonce}.`, `.${mac}`, nonce, `${nonce}.${mac}.${mac}`,
    `${Buffer.from('other-nonce').toString('base64url')}.${mac}`, `${nonce}.${Buffer.alloc(16).toString('base64url')}`,
    encodeURIComponent(`${nonce}=.${mac}`), '%FF%FE', 'x'.repeat(390),
  ];
  for (let i = 0; i < mac.length; i++) list.push(`${nonce}.${flip(mac, i)}`);
  return list;
}

/**
 * Drill 6 — forged and replayed Twilio webhooks (no signature, wrong token, wrong URL, edited
 * parameters) and tampered unsubscribe tokens: every forgery is refused and the database is
 * byte-for-byte what it was; a genuine callback replayed many times counts once.
 */
export async function forgeryDrill(scale: Scale): Promise<DrillResult> {
  const rounds = scale === 'small' ? 20 : 200;
  const env = await createBenchEnv({ env: { TWILIO_AUTH_TOKEN: TOKEN, PUBLIC_BASE_URL: PUBLIC, LOG_LEVEL: 'silent' } });
  const app = await buildApp({ ...env, pingDatabase: env.database.ping });
  try {
    await app.ready();
    await seedContacts(env.db, 3, { email: true });
    const { rows: contacts } = await env.db.execute<{ id: string; phone: string; unsubscribe_nonce: string; email: string }>(
      sql`select id, phone, email, unsubscribe_nonce from contacts order by id`);
    const [target] = contacts;
    await env.services.outbox.enqueue([{ dedupeKey: 'drill:forgery', contactId: target.id, channel: 'sms', kind: 'manual', bodyTemplate: 'hi', scheduledAt: env.clock.now() }]);
    await env.db.execute(sql`update messages set status = 'sent', provider_message_id = 'SMdrill0000000000000000000000001', sent_at = now()`);

    const before = await snapshot(env);
    let forged = 0;
    let refused = 0;
    const post = async (path: string, params: Record<string, string>, signature?: string) => {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (signature !== undefined) headers['x-twilio-signature'] = signature;
      return app.inject({ method: 'POST', url: path, headers, payload: form(params) });
    };
    const status = { MessageSid: 'SMdrill0000000000000000000000001', MessageStatus: 'delivered', To: target.phone };
    const inbound = { From: target.phone, Body: 'STOP', MessageSid: 'SMinbound000000000000000000000001' };
    for (let round = 0; round < rounds; round++) {
      for (const [path, params] of [['/webhooks/twilio/status', status], ['/webhooks/twilio/inbound', inbound]] as const) {
        const url = `${PUBLIC}${path}`;
        const attempts = [
          post(path, params),
          post(path, params, ''),
          post(path, params, 'bm90IGEgc2lnbmF0dXJl'),
          post(path, params, sign('some-other-token-000000000000', url, params)),
          post(path, params, sign(TOKEN, `http://evil.example${path}`, params)),
          post(path, { ...params, MessageStatus: 'failed', Body: 'START' }, sign(TOKEN, url, params)),
          post(`${path}?x=1`, params, sign(TOKEN, url, params)),
        ];
        for (const response of await Promise.all(attempts)) {
          forged++;
          if (response.statusCode === 403 || response.statusCode === 401) refused++;
        }
      }
    }
    const tokens = tamperedTokens(await env.services.unsubscribe.urlFor({ unsubscribeNonce: target.unsubscribe_nonce }, target.email).then((u) => u.split('/').pop()!));
    let tokenRefused = 0;
    for (const token of tokens) {
      for (const method of ['GET', 'POST'] as const) {
        const response = await app.inject({ method, url: `/unsubscribe/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined });
        if (response.statusCode >= 400 && response.statusCode < 500) tokenRefused++;
      }
    }
    const afterForgeries = await snapshot(env);

    // Replay: a genuine callback counts once however often it arrives.
    const genuine = sign(TOKEN, `${PUBLIC}/webhooks/twilio/status`, status);
    const first = await post('/webhooks/twilio/status', status, genuine);
    const once = await snapshot(env);
    let replayOk = 0;
    for (let i = 0; i < rounds; i++) if ((await post('/webhooks/twilio/status', status, genuine)).statusCode < 300) replayOk++;
    const afterReplays = await snapshot(env);

    const unchanged = before === afterForgeries;
    const replayHarmless = first.statusCode < 300 && once !== before && afterReplays === once;
    return {
      name: 'forged/replayed Twilio webhooks, tampered unsubscribe tokens',
      pass: unchanged && refused === forged && tokenRefused === tokens.length * 2 && replayHarmless,
      detail: `forged webhooks refused ${refused}/${forged}; tampered tokens refused ${tokenRefused}/${tokens.length * 2}; database unchanged ${unchanged}; genuine callback applied once then replayed ${replayOk}× with no change ${afterReplays === once}`,
    };
  } finally {
    await app.close();
    await env.close();
  }
}
