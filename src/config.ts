import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * Every setting Carebeat reads, parsed once at boot. This is the only module that touches
 * `process.env`; everything else receives a `Config`. Tests build one with `loadConfig(overrides)`.
 */
const zone = z.string().refine((value) => IANAZone.isValidZone(value), 'not an IANA time zone');
const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const positiveInt = z.coerce.number().int().positive();

const quietHours = z
  .string()
  .regex(/^(off|([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)$/, 'expected HH:MM-HH:MM or off')
  .transform((value) => {
    if (value === 'off') return null;
    const [start, end] = value.split('-');
    return { start, end };
  });

/** Fastify's `trustProxy`: `true`/`false`, a hop count, or a list of addresses, CIDRs and names like `loopback`. */
function parseTrustProxy(value: string): boolean | number | string {
  const trimmed = value.trim();
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  return trimmed;
}

/** The SMS providers `SMS_PROVIDER` may name. */
export const SMS_PROVIDER_IDS = ['console', 'twilio', 'aliyun', 'tencent'] as const;
export type SmsProviderId = (typeof SMS_PROVIDER_IDS)[number];

/** A host (`dysmsapi.aliyuncs.com`, https implied) or a full http(s) URL with an optional port. */
const gatewayEndpoint = z.string().trim().refine((value) => {
  if (/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value)) return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && (url.pathname === '/' || url.pathname === '') && !url.search;
  } catch {
    return false;
  }
}, 'expected a host (dysmsapi.aliyuncs.com) or a URL such as http://127.0.0.1:8081');

const DEFAULT_SMS_PRICE = '0.05';
/** `0.05` → every provider; `aliyun=0.045,tencent=0.05` → those, the others at a bare number in the list or 0.05. */
const smsPriceList = z.string().transform((value, ctx) => {
  const prices: Record<SmsProviderId, number> = { console: 0.05, twilio: 0.05, aliyun: 0.05, tencent: 0.05 };
  const named: Partial<Record<SmsProviderId, number>> = {};
  for (const part of value.split(',').map((item) => item.trim()).filter(Boolean)) {
    const [left, right] = part.includes('=') ? part.split('=').map((item) => item.trim()) : [undefined, part];
    const price = Number(right);
    if (right === '' || !Number.isFinite(price) || price < 0) {
      ctx.addIssue({ code: 'custom', message: `${part}: expected a price >= 0` });
      return z.NEVER;
    }
    if (left === undefined) {
      for (const id of SMS_PROVIDER_IDS) prices[id] = price;
    } else if ((SMS_PROVIDER_IDS as readonly string[]).includes(left)) {
      named[left as SmsProviderId] = price;
    } else {
      ctx.addIssue({ code: 'custom', message: `${left}: not an SMS provider (${SMS_PROVIDER_IDS.join(', ')})` });
      return z.NEVER;
    }
  }
  return { ...prices, ...named };
});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  /** Unset → embedded PGlite under `DATA_DIR/pglite`. */
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_POOL_MAX: positiveInt.default(10),
  /**
   * A statement running longer than this is cancelled and logged by name (PostgreSQL's own
   * statement_timeout). On embedded PGlite, work that *waited* this long for the single connection is
   * cancelled before it starts. Migrations are exempt.
   */
  DB_STATEMENT_TIMEOUT_MS: positiveInt.default(30_000),
  /** `/healthz` fails once the event loop, or the embedded database, has not answered for this long. */
  LIVENESS_TIMEOUT_MS: positiveInt.default(30_000),
  /** SIGTERM waits this long for in-flight work; then the process exits anyway (code 1). */
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  /** Unset → `carebeat` on PostgreSQL; on the embedded database, `carebeat-<hash of DATA_DIR>` (see `defaultQueuePrefix`). */
  QUEUE_PREFIX: z.string().min(1).optional(),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  APP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  RATE_LIMIT_PER_MINUTE: positiveInt.default(6000),
  /** Requests per minute from one client address that carry no valid key (/v1 and /admin/queues); past it, 429 before any lookup. */
  UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: positiveInt.default(120),
  /**
   * Which proxies may tell the client address (X-Forwarded-For): `true`, `false`, a hop count, or
   * addresses/CIDRs/`loopback` (comma-separated). Trusting everyone would let any client pick its
   * own address and escape the per-address limit.
   */
  TRUST_PROXY: z.string().default('loopback').transform(parseTrustProxy),
  /** Largest JSON or form body an ordinary route reads (webhooks and public pages take 64 KiB). */
  BODY_LIMIT_BYTES: positiveInt.default(1024 * 1024),
  /** Time a client has to send a request's headers and body (an idle new connection is closed after it too). */
  REQUEST_TIMEOUT_MS: positiveInt.default(30000),
  /** Time an import's upload may take: its body is read only as fast as its rows are written. */
  IMPORT_TIMEOUT_MS: positiveInt.default(10 * 60 * 1000),
  DEFAULT_TIMEZONE: zone.default('Asia/Shanghai'),
  DEFAULT_COUNTRY: z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166 alpha-2 code').default('CN'),
  DEFAULT_LOCALE: z.string().min(2).default('zh-CN'),
  SMS_PROVIDER: z.enum(SMS_PROVIDER_IDS).default('console'),
  TWILIO_ACCOUNT_SID: z.string().optional(),
  TWILIO_AUTH_TOKEN: z.string().optional(),
  TWILIO_FROM: z.string().optional(),
  TWILIO_MESSAGING_SERVICE_SID: z.string().optional(),
  TWILIO_BASE_URL: z.string().url().default('https://api.twilio.com'),
  /** Milliseconds before a Twilio request is abandoned (its outcome is then unknown). */
  TWILIO_TIMEOUT_MS: positiveInt.default(15000),
  ALIYUN_ACCESS_KEY_ID: z.string().optional(),
  ALIYUN_ACCESS_KEY_SECRET: z.string().optional(),
  /** The approved 签名, e.g. 花间花店 (without 【】). */
  ALIYUN_SMS_SIGN_NAME: z.string().optional(),
  /** A host (https) or a full URL such as `http://127.0.0.1:8081` (a proxy or a local fake). */
  ALIYUN_SMS_ENDPOINT: gatewayEndpoint.default('dysmsapi.aliyuncs.com'),
  TENCENT_SECRET_ID: z.string().optional(),
  TENCENT_SECRET_KEY: z.string().optional(),
  TENCENT_SMS_SDK_APP_ID: z.string().regex(/^\d+$/, 'expected the numeric SmsSdkAppId, e.g. 1400006666').optional(),
  TENCENT_SMS_SIGN_NAME: z.string().optional(),
  TENCENT_SMS_REGION: z.string().regex(/^[a-z]+-[a-z-]+$/, 'expected a region such as ap-guangzhou').default('ap-guangzhou'),
  /** A host (https) or a full URL such as `http://127.0.0.1:8082`. */
  TENCENT_SMS_ENDPOINT: gatewayEndpoint.default('sms.tencentcloudapi.com'),
  /** Milliseconds before an Aliyun/Tencent request is abandoned (its outcome is then unknown). */
  GATEWAY_TIMEOUT_MS: positiveInt.default(10000),
  /**
   * A message still `sent` this long after sending is looked up at its provider, when the provider can
   * be asked (Aliyun QuerySendDetails: its pushes are best-effort); 0 turns it off.
   */
  SMS_STATUS_POLL_AFTER_MS: z.coerce.number().int().min(0).default(30 * 60 * 1000),
  /** Path secret of `/webhooks/aliyun|tencent/:secret/report|reply`; unset → those routes answer 404. */
  GATEWAY_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  EMAIL_PROVIDER: z.enum(['console', 'smtp']).default('console'),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().optional(),
  /** Milliseconds an SMTP connect, greeting or reply may take; after the message body, the outcome is unknown. */
  SMTP_TIMEOUT_MS: positiveInt.default(30000),
  PUBLIC_BASE_URL: z.string().url().default('http://localhost:3000'),
  QUIET_HOURS: quietHours.prefault('21:00-09:00'),
  SCHEDULER_TICK_MS: positiveInt.default(60000),
  /** Messages due within this many ms are moved from `scheduled` to `queued` (BullMQ). */
  ENQUEUE_HORIZON_MS: positiveInt.default(10 * 60 * 1000),
  /** A row left `sending` longer than this is a crashed send: it becomes `unknown`. */
  STALE_SENDING_MS: positiveInt.default(5 * 60 * 1000),
  WORKER_CONCURRENCY: positiveInt.default(50),
  /** BullMQ lock on an active send job; a dead worker's jobs are picked up again after this (the claim in PostgreSQL stops a second send). */
  SEND_LOCK_MS: positiveInt.default(30000),
  /**
   * How long a process reuses a template it resolved (per key+channel) before reading it again. Saves
   * made through this process show at once; an edit made through another process shows within this.
   */
  TEMPLATE_CACHE_TTL_MS: z.coerce.number().int().min(0).default(5000),
  /**
   * Render budget of one template part (subject, body or html), so no template or contact data can hold
   * the event loop: `#each` passes; steps (helper calls, blocks, values written, passes); characters out.
   * Over a bound, save/preview answer 422 and a send fails with `template_budget_exceeded`.
   */
  TEMPLATE_RENDER_MAX_ITERATIONS: positiveInt.default(10_000),
  TEMPLATE_RENDER_MAX_STEPS: positiveInt.default(100_000),
  TEMPLATE_RENDER_MAX_OUTPUT_CHARS: positiveInt.default(250_000),
  /** Messages due together (same channel, same instant) travel as one BullMQ job of at most this many. */
  SEND_BATCH_SIZE: positiveInt.max(1000).default(100),
  SEND_ATTEMPTS: positiveInt.default(6),
  SEND_BACKOFF_MS: positiveInt.default(5000),
  SMS_RATE_PER_SECOND: positiveInt.default(100),
  EMAIL_RATE_PER_SECOND: positiveInt.default(100),
  /** Marketing (holiday/promo) messages per contact within FREQUENCY_CAP_DAYS; 0 turns the cap off. */
  FREQUENCY_CAP: z.coerce.number().int().min(0).default(2),
  FREQUENCY_CAP_DAYS: positiveInt.default(7),
  SMS_OPT_OUT_HINT: z.string().default('回T退订'),
  /** One price for every SMS provider (`0.05`), or a list per provider (`aliyun=0.045,tencent=0.05,twilio=0.08,console=0`). */
  SMS_PRICE_PER_SEGMENT: smsPriceList.prefault(DEFAULT_SMS_PRICE),
  EMAIL_PRICE: z.coerce.number().min(0).default(0.001),
  /** ISO 4217 code of estimate costs (the console's Settings override it, like the prices). */
  CURRENCY: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as CNY').default('CNY'),
  /** Reports: an order placed within this many days after a sent/delivered message is attributed to the last one. */
  ATTRIBUTION_DAYS: positiveInt.max(90).default(7),
  /**
   * Largest contact import accepted, in bytes, counted as the upload streams in (CSV/NDJSON bodies
   * are never buffered, so Fastify's bodyLimit does not see them). Over it → 413 `payload_too_large`.
   */
  IMPORT_MAX_BYTES: positiveInt.default(50 * 1024 * 1024),
  /** Longest single CSV record or NDJSON line of an import, in bytes; a longer one is a rejected row, never buffered whole. */
  IMPORT_MAX_ROW_BYTES: positiveInt.default(64 * 1024),
  /** Rejected rows an import answer lists (the first ones by row); `rejectedCount` always has the total. */
  IMPORT_MAX_REJECTED_LISTED: positiveInt.default(1000),
  /** Shortest time between two occurrences of a recurring promo's cron, in minutes. */
  CAMPAIGN_MIN_RECURRENCE_MINUTES: positiveInt.default(60),
  LIFECYCLE_NEW_DAYS: positiveInt.default(45),
  LIFECYCLE_ACTIVE_DAYS: positiveInt.default(45),
  LIFECYCLE_LAPSING_DAYS: positiveInt.default(90),
  LIFECYCLE_LOST_DAYS: positiveInt.default(180),
  LIFECYCLE_GONE_DAYS: positiveInt.default(360),
  BRAND_NAME: z.string().default(''),
  BRAND_PHONE: z.string().default(''),
  SMS_SIGNATURE: z.string().default(''),
  SWAGGER_ENABLED: bool.default(true),
});

type ParsedEnv = z.infer<typeof envSchema>;
export type Config = Readonly<Omit<ParsedEnv, 'SMS_PRICE_PER_SEGMENT' | 'QUEUE_PREFIX'> & {
  QUEUE_PREFIX: string;
  /** The configured provider's price per SMS segment (what the estimate multiplies by). */
  SMS_PRICE_PER_SEGMENT: number;
  /** `SMS_PRICE_PER_SEGMENT` parsed: the price per segment of each SMS provider. */
  SMS_PRICES: Readonly<Record<SmsProviderId, number>>;
}>;

/** The one place an SMS price is looked up: per segment, for a provider id (an unknown id → the configured provider's). */
export function smsPricePerSegment(config: Pick<Config, 'SMS_PRICES' | 'SMS_PROVIDER'>, providerId: string = config.SMS_PROVIDER): number {
  return (config.SMS_PRICES as Record<string, number>)[providerId] ?? config.SMS_PRICES[config.SMS_PROVIDER];
}

export class ConfigError extends Error {}

/**
 * The BullMQ prefix when none is set. The processes of one PostgreSQL deployment share `carebeat`
 * (the roles scaled out must meet on the same queues). An embedded database lives in one process and
 * one directory, so its queues are that directory's: two `npm start` in two checkouts on one Redis
 * once shared `carebeat`, and each worked the other's jobs against a database without those rows.
 */
function defaultQueuePrefix(env: Pick<ParsedEnv, 'DATABASE_URL' | 'DATA_DIR'>): string {
  if (env.DATABASE_URL) return 'carebeat';
  return `carebeat-${createHash('sha256').update(resolve(env.DATA_DIR)).digest('hex').slice(0, 8)}`;
}

/** Parses the environment (or test overrides) into a typed, frozen config; names each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const { SMS_PRICE_PER_SEGMENT: prices, ...rest } = parsed.data;
  return Object.freeze({
    ...rest, QUEUE_PREFIX: rest.QUEUE_PREFIX ?? defaultQueuePrefix(rest),
    SMS_PRICES: Object.freeze(prices), SMS_PRICE_PER_SEGMENT: prices[rest.SMS_PROVIDER],
  });
}
