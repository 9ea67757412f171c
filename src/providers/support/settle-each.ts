import { ProviderError, type BatchItemResult, type SendResult } from '../types';

/**
 * A batch call for a provider whose batch is its single sends side by side (SMTP over its pool of
 * connections, the console providers): each message's own result or failure, in order. A failure
 * that is not a classified ProviderError may have gone out, so it is `unknown-outcome`, never retried.
 */
export async function settleEach<M>(messages: M[], send: (message: M) => Promise<SendResult>): Promise<BatchItemResult[]> {
  return Promise.all(messages.map((message) => send(message).catch((error: unknown) =>
    error instanceof ProviderError ? error : new ProviderError('unknown-outcome', error instanceof Error ? error.message : String(error)))));
}
