export type Scale = 'small' | 'full';

export interface DrillResult {
  name: string;
  pass: boolean;
  /** One line of counts that shows why. */
  detail: string;
  /** Extra explanation printed under the line. */
  note?: string;
}

export const scaleOf = (raw: string | undefined): Scale => (raw === 'small' ? 'small' : 'full');

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` says so (polling), or the time is up. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(intervalMs);
  }
  return false;
}
