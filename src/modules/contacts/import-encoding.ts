import { Readable, Transform, type TransformCallback } from 'node:stream';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { ValidationError } from '../../shared/errors';

/**
 * The text encoding of an uploaded CSV. Excel on a Chinese Windows saves "CSV" in GBK (GB18030's
 * subset); "CSV UTF-8" adds a BOM; other tools write plain UTF-8. The first bytes decide: a BOM, or
 * valid UTF-8, or else what chardet reads — whose guesses on a short Chinese sample (Big5, EUC-KR,
 * EUC-JP, GB18030 at equal confidence) cannot be trusted, so a non-UTF-8 file is read as GB18030
 * (which decodes GBK and GB2312 too) unless chardet finds UTF-16/32. `?encoding=` (or a charset on
 * the Content-Type) overrides.
 */

/** Bytes looked at before deciding (the rest streams through untouched). */
const SNIFF_BYTES = 8 * 1024;

export function sniffEncoding(sample: Buffer): string {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'UTF-8';
  if (sample[0] === 0xff && sample[1] === 0xfe) return 'UTF-16LE';
  if (sample[0] === 0xfe && sample[1] === 0xff) return 'UTF-16BE';
  try {
    // `stream: true` lets a character cut at the end of the sample pass.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'UTF-8';
  } catch {
    const guess = chardet.detect(sample);
    return guess && /^UTF-(16|32)/.test(guess) ? guess : 'GB18030';
  }
}

/** A requested encoding iconv-lite knows, or 400 naming `encoding`. */
export function checkEncoding(name: string): string {
  if (!iconv.encodingExists(name)) throw ValidationError.field('encoding', `unknown encoding ${JSON.stringify(name)} (e.g. UTF-8, GBK, GB18030)`);
  return name;
}

/** Reads at least `bytes` (or to the end) without consuming them: they are put back on the stream. */
async function peek(input: Readable, bytes: number): Promise<{ sample: Buffer; ended: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  const ended = await new Promise<boolean>((resolve, reject) => {
    const done = (value: boolean) => {
      input.off('readable', onReadable).off('end', onEnd).off('error', reject);
      resolve(value);
    };
    const onReadable = () => {
      for (let chunk = input.read() as Buffer | null; chunk !== null; chunk = input.read() as Buffer | null) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= bytes) return done(false);
      }
    };
    const onEnd = () => done(true);
    input.on('readable', onReadable).once('end', onEnd).once('error', reject);
    onReadable();
  });
  const sample = Buffer.concat(parts);
  if (!ended && sample.length) input.unshift(sample);
  return { sample, ended };
}

/** Decodes a byte stream chunk by chunk into UTF-8 bytes (iconv-lite keeps a character split across chunks whole). */
class Utf8Decoder extends Transform {
  private readonly decoder;
  constructor(encoding: string) {
    super();
    this.decoder = iconv.getDecoder(encoding);
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const text = this.decoder.write(chunk);
    done(null, text ? Buffer.from(text, 'utf8') : undefined);
  }
  override _flush(done: TransformCallback): void {
    const text = this.decoder.end();
    done(null, text ? Buffer.from(text, 'utf8') : undefined);
  }
}

/**
 * The upload as UTF-8 bytes, and the encoding it was in. UTF-8 is the stream as it came (the
 * common case costs nothing); anything else is decoded as it streams, never buffered beyond the
 * sniffed sample. Errors of the upload (a 413 at the limit) pass on to the decoded stream.
 */
export async function utf8Stream(input: Readable, forced?: string): Promise<{ stream: Readable; encoding: string }> {
  const { sample, ended } = await peek(input, SNIFF_BYTES);
  const encoding = forced ? checkEncoding(forced) : sniffEncoding(sample);
  const source = ended ? Readable.from(sample.length ? [sample] : []) : input;
  if (/^utf-?8$/i.test(encoding)) return { stream: source, encoding };
  const decoded = new Utf8Decoder(encoding);
  source.on('error', (error) => decoded.destroy(error));
  return { stream: source.pipe(decoded), encoding };
}
