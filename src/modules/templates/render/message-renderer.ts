import type { Channel, MessageKind } from '../../../db/schema';
import { withUnsubscribeLink } from './email-compliance';
import { renderEmail } from './email-renderer';
import { renderTemplate } from './handlebars-engine';
import type { RenderSettings } from './helpers';
import { assembleMarketingSms } from './sms-compliance';
import type { GatewayTemplate } from '../../../db/schema';
import { renderGatewayTemplate, type RenderedGateway } from '../gateway-template';

export interface TemplateSource {
  subject: string | null;
  body: string;
  html: string | null;
  /** SMS: what a template gateway sends instead of the text. */
  gateway?: GatewayTemplate | null;
}

export interface RenderedMessage {
  subject?: string;
  text: string;
  html?: string;
  /** SMS with a gateway template: its code and the params rendered for this message. */
  gateway?: RenderedGateway;
}

export interface SmsRules {
  signature: string;
  optOutHint: string;
}

/** Renders one template for one channel: SMS verbatim (plus carrier rules), e-mail as subject/html/text. */
export function renderForChannel(
  input: { channel: Channel; kind?: MessageKind; source: TemplateSource; variables: object; settings: RenderSettings },
  sms: SmsRules,
): RenderedMessage {
  if (input.channel === 'email') {
    const email = renderEmail(input.source, input.variables, input.settings);
    return withUnsubscribeLink(email, input.kind, (input.variables as { unsubscribeUrl?: unknown }).unsubscribeUrl, input.settings.locale);
  }
  const text = renderTemplate(input.source.body, 'body', input.variables, input.settings, false).trim();
  const gateway = input.source.gateway ? renderGatewayTemplate(input.source.gateway, input.variables, input.settings) : undefined;
  return { text: assembleMarketingSms(text, input.kind, sms), ...(gateway ? { gateway } : {}) };
}
