/**
 * CONTRACT (implementation pending).
 * Quiet hours are recipient-local, e.g. { start: '21:00', end: '09:00' } (wrapping midnight).
 */
export interface QuietHours {
  start: string;
  end: string;
}

/** `at` itself when it is outside quiet hours in `zone`; otherwise the instant the window opens. `null` = no quiet hours. */
export function nextAllowedInstant(at: Date, zone: string, quiet: QuietHours | null): Date {
  if (!quiet) return at;
  throw new Error(`nextAllowedInstant(${at.toISOString()}, ${zone}) not implemented yet`);
}
