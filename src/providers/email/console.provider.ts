import { randomUUID } from 'node:crypto';
import { ConsoleRecorder } from '../support/console-recorder';
import type { EmailProvider, OutboundEmail, SendResult } from '../types';

/**
 * The zero-setup e-mail provider: logs what it would send and remembers it, and fails on demand.
 * A real implementation of the contract, used by demos and tests alike.
 */
export class ConsoleEmailProvider extends ConsoleRecorder<OutboundEmail> implements EmailProvider {
  async send(message: OutboundEmail): Promise<SendResult> {
    const result = this.record(message, `<${randomUUID()}@console.carebeat>`);
    this.logger?.info({ channel: 'email', messageId: message.messageId, to: message.to, subject: message.subject, ...result }, 'console e-mail');
    return result;
  }
}
