import { ProviderError } from '../types';

/** The reason a message ends with when its template has no gateway code on a template gateway. */
export const NO_GATEWAY_TEMPLATE = 'no_gateway_template';

/** A template gateway can send only an approved template: without its code, no resend can help. */
export const noGatewayTemplate = (): ProviderError => new ProviderError('permanent', NO_GATEWAY_TEMPLATE);
