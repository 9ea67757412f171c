import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * A local stand-in for Tencent Cloud SMS (SendSms, 2021-01-11), reached through the real SDK with
 * `TENCENT_SMS_ENDPOINT=http://127.0.0.1:<port>`. Every request's TC3-HMAC-SHA256 signature is checked
 * as Tencent documents it (canonical request; string to sign with the credential scope; key derived
 * date → service → tc3_request), so a wrong SecretKey gets `AuthFailure.SignatureFailure`. SendSms
 * answers one `SendStatusSet` entry per number, each with its own SerialNo or error code.
 */
export type TencentFailure = { kind: 'error'; code: string; message?: string } | { kind: 'status'; status: number } | { kind: 'hang' };

export interface TencentSent {
  serialNo: string;
  phone: string;
  sessionContext: string | undefined;
  signName: string;
  templateId: string;
  params: string[];
}

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** TC3-HMAC-SHA256 as documented, for a POST with signed headers content-type;host. */
export function tencentSignature(input: { contentType: string; hostname: string; body: Buffer; timestamp: string; date: string; service: string; secretKey: string }): string {
  const canonical = ['POST', '/', '', `content-type:${input.contentType}\nhost:${input.hostname}\n`, 'content-type;host', sha256(input.body)].join('\n');
  const stringToSign = ['TC3-HMAC-SHA256', input.timestamp, `${input.date}/${input.service}/tc3_request`, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${input.secretKey}`, input.date), input.service), 'tc3_request');
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

export class TencentFake {
  readonly secretId = 'AKIDfakeTencentSecretId01';
  readonly secretKey = 'fake-tencent-secret-key-0123456789';
  readonly sdkAppId = '1400006666';
  readonly requests: { action: string; size: number }[] = [];
  readonly sent: TencentSent[] = [];
  readonly approvedTemplates = new Set(['1110']);
  /** Numbers on the gateway's blacklist (FailedOperation.PhoneNumberInBlacklist). */
  readonly blacklist = new Set<string>();
  /** Numbers answered LimitExceeded.PhoneNumberThirtySecondLimit. */
  readonly throttled = new Set<string>();
  private readonly failures: TencentFailure[] = [];
  private readonly sockets = new Set<Socket>();
  private nextSerial = 1;

  private constructor(private readonly server: Server, readonly baseUrl: string) {}

  static async start(): Promise<TencentFake> {
    let fake!: TencentFake;
    const server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    fake = new TencentFake(server, `http://127.0.0.1:${port}`);
    server.on('connection', (socket) => {
      fake.sockets.add(socket);
      socket.on('close', () => fake.sockets.delete(socket));
    });
    return fake;
  }

  failNext(failure: TencentFailure, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push(failure);
  }

  /** Status-callback items for these sends, as Tencent pushes them. */
  reports(sends: TencentSent[], success = true): Record<string, unknown>[] {
    return sends.map((send) => ({
      user_receive_time: '2027-03-10 10:00:05', nationcode: '86', mobile: send.phone.replace(/^\+86/, ''),
      report_status: success ? 'SUCCESS' : 'FAIL', errmsg: success ? 'DELIVRD' : 'MK:0001', description: success ? '用户短信送达成功' : '失败', sid: send.serialNo,
    }));
  }

  /** A reply callback (上行) from this mainland number. */
  reply(mobile: string, text: string): Record<string, unknown> {
    return { extend: '', mobile, nationcode: '86', sign: '花间', text, time: 1804644060 };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(res: ServerResponse, body: object, status = 200): void {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const requestId = randomBytes(8).toString('hex');
    const error = (code: string, message = code) => this.answer(res, { Response: { Error: { Code: code, Message: message }, RequestId: requestId } });

    const auth = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=content-type;host, Signature=([0-9a-f]+)$/
      .exec(String(req.headers.authorization ?? ''));
    const timestamp = String(req.headers['x-tc-timestamp'] ?? '');
    const date = new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
    const hostname = String(req.headers.host ?? '').replace(/:\d+$/, '');
    if (!auth || auth[1] !== this.secretId || auth[2] !== date
      || auth[4] !== tencentSignature({ contentType: String(req.headers['content-type']), hostname, body, timestamp, date, service: auth[3], secretKey: this.secretKey })) {
      return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    const action = String(req.headers['x-tc-action']);
    const request = JSON.parse(body.toString('utf8')) as {
      PhoneNumberSet: string[]; SmsSdkAppId: string; SignName: string; TemplateId: string; TemplateParamSet?: string[]; SessionContext?: string;
    };
    this.requests.push({ action, size: request.PhoneNumberSet?.length ?? 0 });

    const failure = this.failures.shift();
    if (failure?.kind === 'hang') return;
    if (failure?.kind === 'status') return this.answer(res, {}, failure.status);
    if (failure?.kind === 'error') return error(failure.code, failure.message);
    if (request.SmsSdkAppId !== this.sdkAppId) return error('InvalidParameterValue.SdkAppIdNotExist');
    if (!this.approvedTemplates.has(request.TemplateId)) return error('FailedOperation.TemplateIncorrectOrUnapproved');
    if (request.PhoneNumberSet.length > 200) return error('LimitExceeded.PhoneNumberCountLimit');

    const statuses = request.PhoneNumberSet.map((phone) => {
      const refused = !/^\+861\d{10}$/.test(phone) ? 'InvalidParameterValue.IncorrectPhoneNumber'
        : this.blacklist.has(phone) ? 'FailedOperation.PhoneNumberInBlacklist'
          : this.throttled.has(phone) ? 'LimitExceeded.PhoneNumberThirtySecondLimit' : undefined;
      const serialNo = refused ? '' : `2433:${String(this.nextSerial++).padStart(10, '0')}`;
      if (!refused) {
        this.sent.push({
          serialNo, phone, sessionContext: request.SessionContext, signName: request.SignName, templateId: request.TemplateId, params: request.TemplateParamSet ?? [],
        });
      }
      return {
        SerialNo: serialNo, PhoneNumber: phone, Fee: refused ? 0 : 1, SessionContext: request.SessionContext ?? '',
        Code: refused ?? 'Ok', Message: refused ? refused : 'send success', IsoCode: 'CN',
      };
    });
    return this.answer(res, { Response: { SendStatusSet: statuses, RequestId: requestId } });
  }
}
