import { MAX_JSON_NODES } from '../../src/http/input-guards.plugin';
import { PassThrough } from 'node:stream';
import { PUBLIC_BODY_LIMIT_BYTES } from '../../src/http/request-limits';
import { StreamedBody } from '../../src/http/streamed-body';
import { insertContact, reloadContact } from '../support/factories';
import { createTestContext, type TestContext } from '../support/context';
import { signTwilioRequest } from '../support/twilio-fake';
import { PUBLIC_BASE_URL, TWILIO_AUTH_TOKEN, twilioEnv } from '../webhooks/twilio-webhook-client';

const STATUS = '/webhooks/twilio/status';
const form = (fields: number, valueLength = 1) =>
  Array.from({ length: fields }, (_, i) => `f${i}=${'x'.repeat(valueLength)}`).join('&');

describe('body limits per route', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { ...twilioEnv, IMPORT_MAX_BYTES: '2000' } });
  });
  afterAll(() => ctx.close());

  const expectTooLarge = (res: { statusCode: number; json(): { error: { code: string } } }) => {
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  };

  it('refuses an ordinary JSON body over BODY_LIMIT_BYTES (1 MiB) with 413', async () => {
    const payload = JSON.stringify({ name: 'x'.repeat(1024 * 1024), phone: '13800138000' });
    expectTooLarge(await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers: { ...(await ctx.auth('ops')), 'content-type': 'application/json' }, payload }));
  });

  it('refuses a JSON body holding more values than the input guard walks, naming the body', async () => {
    const payload = JSON.stringify({ name: 'N', phone: '13800138000', attributes: { list: new Array(MAX_JSON_NODES).fill(0) } });
    expect(payload.length).toBeLessThan(1024 * 1024); // within the size limit: the count alone refuses it
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers: { ...(await ctx.auth('ops')), 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([{ field: 'body', message: `holds more than ${MAX_JSON_NODES} values` }]);
  });

  it('refuses an object with too many keys the same way', async () => {
    const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [i.toString(36), 0]));
    const payload = JSON.stringify({ a: keys(MAX_JSON_NODES / 2 + 1), b: keys(MAX_JSON_NODES / 2 + 1) });
    expect(payload.length).toBeLessThan(1024 * 1024);
    const res = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers: { ...(await ctx.auth('ops')), 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe('body');
  });

  it('reads no body for a route that does not exist', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/no/such/route', headers: { 'content-type': 'application/json' }, payload: `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}` });
    expect(res.statusCode).toBe(404); // a read would have been a 413
    expect(res.json().error.code).toBe('not_found');
  });

  it('takes a webhook body up to 64 KiB and refuses a bigger one with 413', async () => {
    const big = form(1, PUBLIC_BODY_LIMIT_BYTES);
    expectTooLarge(await ctx.app.inject({
      method: 'POST', url: STATUS, payload: big,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
    }));
  });

  it('refuses an unsigned webhook with 403 before its body is looked at', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: STATUS, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ a: 'x'.repeat(2 * PUBLIC_BODY_LIMIT_BYTES) }),
    });
    expect(res.statusCode).toBe(403);
  });

  it('answers a signed webhook that is not a form with 415: Twilio only posts forms', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: STATUS, headers: { 'content-type': 'application/json', 'x-twilio-signature': 'anything' }, payload: '{"MessageSid":"SM1","MessageStatus":"delivered"}',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('parses and checks a 64 KiB form of 12,000 fields quickly, and refuses the forgery', async () => {
    const payload = Array.from({ length: 12_000 }, (_, i) => `${i.toString(36)}=`).join('&');
    expect(payload.length).toBeLessThan(PUBLIC_BODY_LIMIT_BYTES);
    const started = performance.now();
    const res = await ctx.app.inject({
      method: 'POST', url: STATUS, payload,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
    });
    expect(res.statusCode).toBe(403);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('still takes a genuine signed status callback', async () => {
    const params = { MessageSid: 'SM0000', MessageStatus: 'delivered' };
    const res = await ctx.app.inject({
      method: 'POST', url: STATUS, payload: new URLSearchParams(params).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signTwilioRequest(TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL + STATUS, params) },
    });
    expect(res.statusCode).toBe(204);
  });

  it('answers a forged unsubscribe token with its 404 page, and never reads the body', async () => {
    const res = await ctx.app.inject({
      method: 'POST', url: '/unsubscribe/bm9wZQ.AAAAAAAAAAAAAAAAAAAAAA', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(1, 2 * PUBLIC_BODY_LIMIT_BYTES), // over the limit: a read would have been a 413
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });

  it('takes up to 64 KiB of anything on a genuine unsubscribe POST without parsing it, and refuses more', async () => {
    const contact = await insertContact(ctx.db, { email: 'limit@example.com' });
    const url = new URL(await ctx.services.unsubscribe.urlFor(contact, contact.email!)).pathname;
    expectTooLarge(await ctx.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(1, PUBLIC_BODY_LIMIT_BYTES) }));
    expect((await reloadContact(ctx.db, contact.id)).consentEmail).toBe(true);
    // Thousands of fields, or JSON: read and dropped, the link still works.
    const many = await ctx.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(10_000).slice(0, 60_000) });
    expect(many.statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json' }, payload: '{"a":' })).statusCode).toBe(200);
    expect((await reloadContact(ctx.db, contact.id)).consentEmail).toBe(false);
  });

  it('caps an import upload at IMPORT_MAX_BYTES with 413, and a JSON-array import at the ordinary JSON limit', async () => {
    const ops = await ctx.auth('ops');
    const csv = `externalId,name,phone\n${Array.from({ length: 150 }, (_, i) => `x${i},N,1380013${String(i).padStart(4, '0')}`).join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(2000);
    expectTooLarge(await ctx.app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { ...ops, 'content-type': 'text/csv' }, payload: csv }));
    const small = await ctx.app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { ...ops, 'content-type': 'text/csv' }, payload: csv.slice(0, 500).replace(/\n[^\n]*$/, '\n') });
    expect(small.statusCode).toBe(200);
    expect(small.json().created).toBeGreaterThan(0);
    const array = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({ externalId: `j${i}`, name: 'x'.repeat(40) })));
    expectTooLarge(await ctx.app.inject({ method: 'POST', url: '/v1/contacts/import', headers: { ...ops, 'content-type': 'application/json' }, payload: array }));
  });
});

describe(StreamedBody.name, () => {
  const limit = (maxBytes: number) => ({ maxBytes, setting: 'IMPORT_MAX_BYTES' });

  it('passes a body through up to the limit and fails past it with a 413', async () => {
    const source = new PassThrough();
    const body = StreamedBody.open(source, 'text/csv', undefined, limit(10));
    source.end('0123456789abc');
    await expect((async () => {
      for await (const chunk of body.stream) void chunk;
    })()).rejects.toMatchObject({ kind: 'payload_too_large' });
  });

  it('keeps a source failure for a reader that comes later, and never throws it as uncaught', async () => {
    const source = new PassThrough();
    const body = StreamedBody.open(source, 'text/csv', undefined, limit(1000));
    source.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    await new Promise((resolve) => setTimeout(resolve, 50)); // an uncaught 'error' would have failed the suite by now
    expect(body.stream.destroyed).toBe(true);
    expect(body.stream.errored).toMatchObject({ message: 'aborted' });
  });
});
