import pino from 'pino';
import type { Logger } from '../../src/shared/logger';

export interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose lines are kept in memory, for tests that check what was logged. */
export function capturedLogger(): { logger: Logger; lines: LogLine[]; warnings(): LogLine[]; errors(): LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return {
    logger,
    lines,
    warnings: () => lines.filter((line) => line.level === pino.levels.values.warn),
    errors: () => lines.filter((line) => line.level === pino.levels.values.error),
  };
}
