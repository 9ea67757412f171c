import { randomBytes } from 'node:crypto';

/** 32 letters and digits no one misreads: no I, O, 0 or 1 (so a byte's low 5 bits pick one uniformly). */
export const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const DEFAULT_CODE_LENGTH = 10;

/** `count` codes `prefix` + `length` random characters, from the OS's cryptographic random source. */
export function generateCodes(count: number, prefix = '', length = DEFAULT_CODE_LENGTH): string[] {
  const bytes = randomBytes(count * length);
  const codes = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    let code = prefix;
    for (let j = 0; j < length; j++) code += CODE_ALPHABET[bytes[i * length + j] & 31];
    codes[i] = code;
  }
  return codes;
}

/** Codes compare case-insensitively and without surrounding blanks: stored upper-case. */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();

/** What a code may be: 3–64 printable characters without blanks (imported codes are checked against this). */
export const CODE_PATTERN = /^[A-Z0-9_-]{3,64}$/;
