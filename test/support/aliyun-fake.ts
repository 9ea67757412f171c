import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A local stand-in for Aliyun's SMS API (dysmsapi 2017-05-25, RPC style), reached through the real
 * SDK with `ALIYUN_SMS_ENDPOINT=http://127.0.0.1:<port>`. Every request's ACS3-HMAC-SHA256 signature
 * is checked as Aliyun documents it (canonical request → SHA-256 → HMAC with the AccessKey secret), so
 * a wrong secret gets `SignatureDoesNotMatch` like the real service. SendSms and SendBatchSms answer
 * like Aliyun: `Code` OK + one BizId per call, or an error code for the whole call.
 */
export type AliyunFailure =
  | { kind: 'code'; code: string; message?: string }
  | { kind: 'status'; status: number; code?: string }
  | { kind: 'hang' };

export interface AliyunSent {
  action: 'SendSms' | 'SendBatchSms';
  bizId: string;
  phone: string;
  outId: string | undefined;
  signName: string;
  templateCode: string;
  params: Record<string, string>;
}

const encode = (value: string): string =>
  encodeURIComponent(value).replace(/!/g, '%21').replace(/'/g, '%27').replace(/\(/g, '%28').replace(/\)/g, '%29').replace(/\*/g, '%2A');
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** ACS3-HMAC-SHA256 as documented: the signature of the request Aliyun received. */
export function aliyunSignature(input: {
  method: string; pathname: string; query: Record<string, string>; headers: Record<string, string>; signedHeaders: string[]; body: Buffer; secret: string;
}): string {
  const query = Object.keys(input.query).sort().map((key) => `${encode(key)}=${encode(input.query[key])}`).join('&');
  const headers = input.signedHeaders.map((name) => `${name}:${(input.headers[name] ?? '').trim()}\n`).join('');
  const canonical = [input.method, input.pathname, query, headers, input.signedHeaders.join(';'), sha256(input.body)].join('\n');
  return createHmac('sha256', input.secret).update(`ACS3-HMAC-SHA256\n${sha256(canonical)}`).digest('hex');
}

export class AliyunFake {
  readonly accessKeyId = 'LTAIfakeAccessKey01';
  readonly accessKeySecret = 'fake-aliyun-secret-0123456789';
  readonly requests: { action: string; size: number }[] = [];
  readonly sent: AliyunSent[] = [];
  /** Approved template codes; any other code → isv.SMS_TEMPLATE_ILLEGAL. */
  readonly approvedTemplates = new Set(['SMS_100001']);
  /** Numbers Aliyun refuses because the recipient unsubscribed (isv.CUSTOMER_REFUSED). */
  readonly refusedNumbers = new Set<string>();
  /** QuerySendDetails' SendStatus per BizId:number (1 waiting, 2 failed, 3 delivered; default 3). */
  readonly sendStatus = new Map<string, 1 | 2 | 3>();
  private readonly failures: AliyunFailure[] = [];
  private readonly sockets = new Set<Socket>();
  private nextBizId = 1;

  private constructor(private readonly server: Server, readonly baseUrl: string) {}

  static async start(): Promise<AliyunFake> {
    let fake!: AliyunFake;
    const server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    fake = new AliyunFake(server, `http://127.0.0.1:${port}`);
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    return fake;
  }

  failNext(failure: AliyunFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** SmsReport items for these sends, as Aliyun pushes them. */
  reports(sends: AliyunSent[], success = true): Record<string, unknown>[] {
    return sends.map((send) => ({
      phone_number: send.phone, send_time: '2027-03-10 10:00:00', report_time: '2027-03-10 10:00:05', success,
      err_code: success ? 'DELIVERED' : 'MK:0001', err_msg: success ? '用户接收成功' : '失败', sms_size: '1', biz_id: send.bizId, out_id: send.outId ?? null,
    }));
  }

  /** An SmsUp item (上行) from this number. */
  reply(phone: string, content: string): Record<string, unknown> {
    return { phone_number: phone, send_time: '2027-03-10 10:01:00', content, sign_name: '花间', dest_code: '1234', sequence_id: 1 };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(res: ServerResponse, status: number, body: object): void {
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8' }).end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.baseUrl);
    const query = Object.fromEntries(url.searchParams.entries());
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v ?? '']));
    const requestId = randomBytes(8).toString('hex');

    const auth = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]+)$/.exec(headers.authorization ?? '');
    const expected = auth && aliyunSignature({
      method: req.method ?? 'POST', pathname: url.pathname, query, headers, signedHeaders: auth[2].split(';'), body, secret: this.accessKeySecret,
    });
    if (!auth || auth[1] !== this.accessKeyId || auth[3] !== expected || headers['x-acs-content-sha256'] !== sha256(body)) {
      return this.answer(res, 400, { Code: 'SignatureDoesNotMatch', Message: 'Specified signature does not match our calculation.', RequestId: requestId });
    }
    const action = headers['x-acs-action'];
    if (action === 'QuerySendDetails') {
      this.requests.push({ action, size: 1 });
      const match = this.sent.filter((send) => send.bizId === query.BizId && send.phone === query.PhoneNumber);
      const details = match.map((send) => {
        const status = this.sendStatus.get(`${send.bizId}:${send.phone}`) ?? 3;
        return { PhoneNum: send.phone, SendStatus: status, ErrCode: status === 2 ? 'MK:0001' : 'DELIVERED', TemplateCode: send.templateCode, OutId: send.outId, SendDate: query.SendDate };
      });
      return this.answer(res, 200, { Code: 'OK', Message: 'OK', RequestId: requestId, TotalCount: String(details.length), SmsSendDetailDTOs: { SmsSendDetailDTO: details } });
    }
    const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')).entries());
    const phones: string[] = action === 'SendBatchSms' ? JSON.parse(form.PhoneNumberJson ?? '[]') : (query.PhoneNumbers ?? '').split(',');
    this.requests.push({ action, size: phones.length });

    const failure = this.failures.shift();
    if (failure?.kind === 'hang') return; // never answers: the SDK's read timeout fires
    if (failure?.kind === 'status') return this.answer(res, failure.status, { Code: failure.code ?? 'ServiceUnavailable', Message: 'fake', RequestId: requestId });
    if (failure?.kind === 'code') return this.answer(res, 200, { Code: failure.code, Message: failure.message ?? failure.code, RequestId: requestId });

    const templateCode = query.TemplateCode ?? '';
    const refuse = (code: string) => this.answer(res, 200, { Code: code, Message: code, RequestId: requestId });
    if (!this.approvedTemplates.has(templateCode)) return refuse('isv.SMS_TEMPLATE_ILLEGAL');
    if (phones.some((phone) => !/^1\d{10}$/.test(phone))) return refuse('isv.MOBILE_NUMBER_ILLEGAL');
    if (phones.some((phone) => this.refusedNumbers.has(phone))) return refuse('isv.CUSTOMER_REFUSED');
    if (phones.length > (action === 'SendBatchSms' ? 100 : 1000)) return refuse('isv.MOBILE_COUNT_OVER_LIMIT');

    const bizId = `${String(this.nextBizId++).padStart(6, '0')}^0`;
    const signNames: string[] = action === 'SendBatchSms' ? JSON.parse(form.SignNameJson ?? '[]') : [query.SignName];
    const params: Record<string, string>[] = action === 'SendBatchSms' ? JSON.parse(form.TemplateParamJson ?? '[]') : [JSON.parse(query.TemplateParam ?? '{}')];
    phones.forEach((phone, i) => this.sent.push({
      action: action as AliyunSent['action'], bizId, phone, outId: query.OutId, signName: signNames[i] ?? signNames[0], templateCode, params: params[i] ?? {},
    }));
    return this.answer(res, 200, { Code: 'OK', Message: 'OK', BizId: bizId, RequestId: requestId });
  }
}
