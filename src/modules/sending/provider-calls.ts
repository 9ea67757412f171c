import { ProviderError, type BatchItemResult, type OutboundEmail, type OutboundSms, type Providers, type SendResult } from '../../providers/types';
import { createMicroBatcher } from '../../shared/micro-batcher';

interface ChannelProvider<M> {
  send(message: M): Promise<SendResult>;
  sendBatch?(messages: M[]): Promise<BatchItemResult[]>;
}

/**
 * One provider call per message, as the send service sees it. Where the provider takes many
 * messages per call (`sendBatch`), the sends in flight share one call, micro-batched like the
 * repository's statements, and each message gets ITS outcome from the response: a refusal of one
 * number fails that message only, and a whole call that failed fails each of its messages with that
 * error (classified as usual: a call that may have reached the provider is `unknown`, never resent).
 * The provider is looked up at each call, so a provider swapped at run time is used at once.
 */
function callsFor<M>(provider: () => ChannelProvider<M>, maxSize: number): (message: M) => Promise<SendResult> {
  const batched = createMicroBatcher<M, BatchItemResult>({
    maxSize,
    maxWaitMs: 0,
    run: async (messages) => provider().sendBatch!(messages),
  });
  return async (message) => {
    if (!provider().sendBatch) return provider().send(message);
    const result = await batched(message);
    if (result instanceof ProviderError) throw result;
    return result;
  };
}

export function createProviderCalls(providers: Pick<Providers, 'sms' | 'email'>, maxSize: number) {
  return {
    sms: callsFor<OutboundSms>(() => providers.sms, maxSize),
    email: callsFor<OutboundEmail>(() => providers.email, maxSize),
  };
}
export type ProviderCalls = ReturnType<typeof createProviderCalls>;
