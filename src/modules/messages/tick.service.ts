import type { Logger } from '../../shared/logger';
import type { OutboxService } from './outbox.service';
import type { ReconcileService } from './reconcile.service';

/** Work another module wants done on every scheduler tick (e.g. birthdays, campaign runs). */
export type TickTask = (now: Date) => Promise<unknown>;

export interface NamedTickTask {
  name: string;
  run: TickTask;
}

interface TickDeps {
  outbox: Pick<OutboxService, 'promoteDue'>;
  reconciler: Pick<ReconcileService, 'run'>;
  /** Run after the outbox steps, in order. */
  tasks: NamedTickTask[];
  logger: Pick<Logger, 'error'>;
}

/**
 * One scheduler tick. Each step runs even if an earlier one failed (a broken campaign must not
 * stop birthdays); failures are logged and reported, and the next tick tries again.
 */
export function createTickService({ outbox, reconciler, tasks, logger }: TickDeps) {
  const steps: NamedTickTask[] = [
    { name: 'promote-due', run: (now) => outbox.promoteDue(now) },
    { name: 'reconcile', run: (now) => reconciler.run(now) },
    ...tasks,
  ];
  return {
    async run(now: Date): Promise<Record<string, unknown>> {
      const report: Record<string, unknown> = {};
      for (const step of steps) {
        try {
          report[step.name] = await step.run(now);
        } catch (error) {
          logger.error({ err: error, step: step.name }, 'scheduler tick step failed');
          report[step.name] = { error: error instanceof Error ? error.message : String(error) };
        }
      }
      return report;
    },
  };
}
export type TickService = ReturnType<typeof createTickService>;
