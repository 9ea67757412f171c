import type { Redis } from 'ioredis';
import { createMicroBatcher } from '../shared/micro-batcher';

/**
 * Grants up to ARGV[1] of the ARGV[2] tokens of the current window, which opens with its first
 * grant and lasts a second (BullMQ's limiter counts the same way). Answers {granted, ms until the
 * window closes}.
 */
const TAKE_TOKENS = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local grant = math.min(tonumber(ARGV[1]), tonumber(ARGV[2]) - used)
if grant > 0 then
  if redis.call('INCRBY', KEYS[1], grant) == grant then redis.call('PEXPIRE', KEYS[1], 1000) end
else
  grant = 0
end
return {grant, redis.call('PTTL', KEYS[1])}`;

/**
 * A provider's rate (messages per second) across every worker process. BullMQ's limiter counts jobs,
 * and a job now carries up to SEND_BATCH_SIZE messages (issue 13), so the rate is counted per message
 * here, in Redis. The callers waiting at the same moment share one script call; whoever is not
 * granted a token waits for the next second and asks again.
 */
export function createSendRate(connection: Redis, key: string, perSecond: number) {
  const request = createMicroBatcher<null, number>({
    maxSize: 1000,
    maxWaitMs: 0,
    maxConcurrent: 1,
    run: async (items) => {
      const [granted, waitMs] = (await connection.eval(TAKE_TOKENS, 1, key, items.length, perSecond)) as [number, number];
      return items.map((_, index) => (index < granted ? 0 : Math.max(1, waitMs)));
    },
  });
  /** Resolves once this caller holds one token of the current second. */
  return async function takeToken(): Promise<void> {
    for (;;) {
      const waitMs = await request(null);
      if (waitMs === 0) return;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  };
}
