import type { Infrastructure, Services } from '../src/container';

export interface RunningWorkers {
  close(): Promise<void>;
}

/** Starts the BullMQ processors of the `worker` role. */
export async function startWorkers(_infra: Infrastructure, _services: Services): Promise<RunningWorkers> {
  const closers: Array<() => Promise<void>> = [];
  return { close: async () => void (await Promise.all(closers.map((close) => close()))) };
}

/** Starts the `scheduler` role: the repeatable tick job and its processor. */
export async function startScheduler(_infra: Infrastructure, _services: Services): Promise<RunningWorkers> {
  const closers: Array<() => Promise<void>> = [];
  return { close: async () => void (await Promise.all(closers.map((close) => close()))) };
}
