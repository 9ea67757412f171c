import type { Channel, GatewayTemplate } from '../../db/schema';
import { DomainError, UnprocessableError, ValidationError } from '../../shared/errors';
import { checkTemplate, renderTemplate } from './render/handlebars-engine';
import type { RenderSettings } from './render/helpers';

/** The code default templates ship with: it matches no approved template, so ops replace it (the console says so). */
export const PLACEHOLDER_GATEWAY_CODE = 'SMS_000000';

const TEMPLATE_CODE = /^[A-Za-z0-9_.-]{1,64}$/;
const PARAM_NAME = /^[A-Za-z0-9_]{1,64}$/;

/** A check failure of one param, renamed to the field it came from (`gateway.params.name`). */
function asParamError(error: unknown, field: string): unknown {
  if (!(error instanceof DomainError)) return error;
  const message = error.details[0]?.message ?? error.message.replace(/^body: /, '');
  if (error instanceof ValidationError) return ValidationError.field(field, message);
  return new UnprocessableError(`${field}: ${message}`, [{ field, message }], error.code);
}

/** Save-time rules of `gateway`: SMS only, a plausible code, each param a template checked like the body. */
export function validateGatewayTemplate(channel: Channel, gateway: GatewayTemplate | null | undefined): void {
  if (!gateway) return;
  if (channel !== 'sms') throw ValidationError.field('gateway', 'only SMS templates have a gateway template');
  if (gateway.templateCode !== null && !TEMPLATE_CODE.test(gateway.templateCode)) {
    throw ValidationError.field('gateway.templateCode', 'expected the gateway\'s template code, e.g. SMS_123456789 or 1110');
  }
  for (const [name, expression] of Object.entries(gateway.params)) {
    const field = `gateway.params.${name}`;
    if (!PARAM_NAME.test(name)) throw ValidationError.field(field, 'a param name is letters, digits or _');
    try {
      checkTemplate(expression, 'body');
    } catch (error) {
      throw asParamError(error, field);
    }
  }
}

/** Save-time warnings: a template gateway can't send a version without a real code. */
export function gatewayWarnings(channel: Channel, gateway: GatewayTemplate | null | undefined, smsProvider: string | undefined): string[] {
  if (channel !== 'sms' || (smsProvider !== 'aliyun' && smsProvider !== 'tencent')) return [];
  if (!gateway?.templateCode) {
    return [`no_gateway_template: SMS_PROVIDER=${smsProvider} sends only approved templates; without gateway.templateCode this template's messages fail`];
  }
  if (gateway.templateCode === PLACEHOLDER_GATEWAY_CODE) {
    return [`placeholder_gateway_template: ${PLACEHOLDER_GATEWAY_CODE} is a placeholder; replace it with the code ${smsProvider} approved`];
  }
  return [];
}

export interface RenderedGateway {
  templateCode: string | null;
  params: Record<string, string>;
}

/** Each param rendered for this message, as plain text (the gateway escapes nothing). */
export function renderGatewayTemplate(gateway: GatewayTemplate, variables: object, settings: RenderSettings): RenderedGateway {
  const params: Record<string, string> = {};
  for (const [name, expression] of Object.entries(gateway.params)) {
    try {
      params[name] = renderTemplate(expression, 'body', variables, settings, false).trim();
    } catch (error) {
      throw asParamError(error, `gateway.params.${name}`);
    }
  }
  return { templateCode: gateway.templateCode, params };
}
