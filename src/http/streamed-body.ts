import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { PayloadTooLargeError } from '../shared/errors';

/** How large a streamed body may grow, and the setting that says so (named in the 413). */
export interface StreamLimit {
  maxBytes: number;
  setting: string;
}

const tooLarge = ({ maxBytes, setting }: StreamLimit) =>
  new PayloadTooLargeError(`the upload is larger than ${maxBytes} bytes (${setting})`, [
    { field: 'body', message: `larger than ${maxBytes} bytes` },
  ]);

/**
 * A request body left as a stream (large uploads are never buffered) and metered as it is read:
 * past `maxBytes` it fails with PayloadTooLargeError, and it fingerprints what it let through
 * (sha256), so an Idempotency-Key can tell a replayed upload from a different one without keeping
 * either. Fastify's `bodyLimit` does not apply to a stream parser: this is the limit.
 */
export class StreamedBody {
  /** What the route reads. */
  readonly stream: Readable;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private state: 'reading' | 'ended' | 'over-limit' = 'reading';

  /** Refuses a declared Content-Length over the limit before a byte is read (and so before anything is imported). */
  static open(source: Readable, mediaType: string, contentLength: string | undefined, limit: StreamLimit): StreamedBody {
    if (contentLength !== undefined && Number(contentLength) > limit.maxBytes) throw tooLarge(limit);
    return new StreamedBody(source, mediaType, limit);
  }

  private constructor(source: Readable, readonly mediaType: string, private readonly limit: StreamLimit) {
    const meter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => this.meter(chunk, done),
      flush: (done) => {
        this.state = 'ended';
        done();
      },
    });
    // Not `pipeline`: that would destroy the request, and with it the socket the 413 must go out on.
    source.on('error', (error) => meter.destroy(error));
    // The route listens for the meter's errors once it starts reading: a client that breaks off
    // before then must not become an uncaught 'error' (the failure stays on `meter.errored`).
    meter.on('error', () => undefined);
    source.on('close', () => {
      if (!source.readableEnded) meter.destroy(new Error('the request was aborted before its body ended'));
    });
    source.pipe(meter);
    this.stream = meter;
  }

  private meter(chunk: Buffer, done: TransformCallback): void {
    const room = this.limit.maxBytes - this.bytes;
    if (chunk.length > room) {
      // The fingerprint covers exactly the first maxBytes, so the same oversized file fingerprints the same.
      this.hash.update(chunk.subarray(0, room));
      this.bytes = this.limit.maxBytes;
      this.state = 'over-limit';
      done(tooLarge(this.limit));
      return;
    }
    this.bytes += chunk.length;
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** True once the body was read to its end or up to the limit: the fingerprint then stands for the whole upload. */
  get readThrough(): boolean {
    return this.state !== 'reading';
  }

  get overLimit(): boolean {
    return this.state === 'over-limit';
  }

  /** True until the body was read to its end: the client may still be sending. */
  get unread(): boolean {
    return this.state !== 'ended';
  }

  /** sha256 of what was read (marked when the limit cut it short). */
  fingerprint(): string {
    return `${this.hash.copy().digest('hex')}${this.overLimit ? '+over-limit' : ''}`;
  }

  /** Reads the rest without keeping it (a replay must know what was sent, and do nothing with it). */
  async drain(): Promise<string> {
    try {
      for await (const _chunk of this.stream) {
        // hashed by the meter
      }
    } catch (error) {
      if (!this.overLimit) throw error;
    }
    return this.fingerprint();
  }

  /** Whatever serialises a body (logs, hashes) must never walk the socket. */
  toJSON() {
    return { streamed: this.mediaType };
  }
}
