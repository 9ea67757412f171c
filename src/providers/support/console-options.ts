import type { Logger } from '../../shared/logger';

export interface ConsoleProviderOptions {
  logger?: Logger;
  /** How many sent messages `sent()` remembers (default 1,000). */
  capacity?: number;
}
