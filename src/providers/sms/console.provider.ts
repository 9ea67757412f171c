import { randomUUID } from 'node:crypto';
import { ConsoleRecorder } from '../support/console-recorder';
import type { OutboundSms, SendResult, SmsProvider } from '../types';

/**
 * The zero-setup SMS provider: logs what it would send and remembers it, and fails on demand.
 * A real implementation of the contract, used by demos and tests alike.
 */
export class ConsoleSmsProvider extends ConsoleRecorder<OutboundSms> implements SmsProvider {
  async send(message: OutboundSms): Promise<SendResult> {
    const result = this.record(message, `console-sms-${randomUUID()}`);
    this.logger?.info({ channel: 'sms', messageId: message.messageId, to: message.to, text: message.text, ...result }, 'console sms');
    return result;
  }
}
