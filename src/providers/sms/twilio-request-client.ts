import twilio from 'twilio';

type RequestOptions<TData> = Parameters<twilio.RequestClient['request']>[0] & { data?: TData };

const TWILIO_API_ORIGIN = 'https://api.twilio.com';

/**
 * The SDK's own HTTP client, with every `https://api.twilio.com` URL rewritten to `baseUrl`:
 * regional edges, egress proxies and the local fake used in tests all speak the same API.
 * Twilio's automatic 429 retries stay off: the send pipeline owns retries and backoff.
 */
export class TwilioRequestClient extends twilio.RequestClient {
  private readonly baseUrl: string;

  constructor(baseUrl: string, timeoutMs: number) {
    super({ timeout: timeoutMs, autoRetry: false });
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  override request<TData>(opts: RequestOptions<TData>) {
    const uri = opts.uri.startsWith(TWILIO_API_ORIGIN) ? this.baseUrl + opts.uri.slice(TWILIO_API_ORIGIN.length) : opts.uri;
    return super.request({ ...opts, uri });
  }
}
