import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import type { Channel, ContactRow } from '../../db/schema';
import { NotFoundError, UnprocessableError, ValidationError } from '../../shared/errors';
import type { Clock } from '../../time/clock';
import { normaliseEmail, normalisePhone } from '../contacts/contact-input';
import type { OutboxService } from '../messages/outbox.service';
import { smsStats, type SmsStats } from '../templates/render/sms-counter';
import type { RenderedMessage } from '../templates/render/message-renderer';
import type { RenderMessageInput } from '../templates/template-rendering';
import { campaignData, type HolidayLookup } from './campaign-messages';
import { createCampaignTestSendRepository } from './campaign-test-send.repository';
import { firstOccurrence, holidayOfOccurrence } from './campaign-rules';
import type { CampaignRow } from './campaigns.repository';

/**
 * A test copy is a message of the campaign's own kind and template (so it renders exactly as the
 * real one: signature, brand, 回T退订, unsubscribe link) marked `data.test = { campaignId }`, with:
 * - its own dedupe key `test:<campaign>:<uuid>`: never deduped against the real send, nor the real one against it;
 * - no `campaign_id`: the campaign's stats and cancel never see it;
 * - no quiet hours and no frequency cap (send-gate), and the cap never counts it (recentMarketing):
 *   a test sent today does not hold the real message tomorrow. Consent and suppression still apply.
 */
export const TEST_DEDUPE_PREFIX = 'test:';

export interface TestSendDeps {
  db: Db;
  clock: Clock;
  holidays: HolidayLookup;
  outbox: Pick<OutboxService, 'enqueue'>;
  render(input: RenderMessageInput): Promise<RenderedMessage>;
  /** Makes a contact for a test number or address that belongs to no one (tagged `test-send`). */
  createContact(fields: { phone?: string; email?: string; tags: string[] }): Promise<{ id: string }>;
  findCampaign(id: string): Promise<CampaignRow | undefined>;
  config: { DEFAULT_TIMEZONE: string; DEFAULT_COUNTRY: string };
}

export interface TestSendInput {
  contactId?: string;
  /** A phone number (SMS) or an e-mail address. */
  to?: string;
  channel?: Channel;
}

export function createCampaignTestSend(deps: TestSendDeps) {
  const { clock, config } = deps;
  const repository = createCampaignTestSendRepository(deps.db);

  const campaignOf = async (id: string) => {
    const row = await deps.findCampaign(id);
    if (!row) throw new NotFoundError('campaign', id);
    return row;
  };

  const liveContact = async (id: string): Promise<ContactRow> => {
    const row = await repository.liveContact(id);
    if (!row) throw new UnprocessableError('no such contact', [{ field: 'contactId', message: 'no such contact' }]);
    return row;
  };

  /** Template variables of the campaign's next occurrence for a recipient (the same the fan-out gives). */
  async function dataFor(campaign: CampaignRow, contact: ContactRow) {
    const occurrence = campaign.nextRunAt ?? firstOccurrence(campaign, clock.now(), config.DEFAULT_TIMEZONE);
    const holiday = await holidayOfOccurrence(deps.holidays, campaign, occurrence, config.DEFAULT_TIMEZONE);
    return campaignData({ campaign, holiday }, contact.locale);
  }

  /** The contact `to` names (a live one with that phone/e-mail), made when there is none. */
  async function recipientOf(input: TestSendInput): Promise<{ contact: ContactRow; channel?: Channel }> {
    if (input.contactId) return { contact: await liveContact(input.contactId) };
    if (!input.to) throw ValidationError.field('contactId', 'give contactId or to');
    const isEmail = input.to.includes('@');
    const address = isEmail ? normaliseEmail(input.to) : normalisePhone(input.to, config.DEFAULT_COUNTRY);
    if (!address) throw ValidationError.field('to', isEmail ? 'not an e-mail address' : 'not a mobile number');
    const found = await repository.contactIdByAddress(isEmail ? 'email' : 'sms', address);
    const id = found ?? (await deps.createContact({ ...(isEmail ? { email: address } : { phone: address }), tags: ['test-send'] })).id;
    return { contact: await liveContact(id), channel: isEmail ? 'email' : 'sms' };
  }

  const channelFor = (campaign: CampaignRow, wanted: Channel | undefined): Channel => {
    const channel = wanted ?? (campaign.channels[0] as Channel);
    if (!campaign.channels.includes(channel)) throw ValidationError.field('channel', `the campaign sends ${campaign.channels.join(', ')}`);
    return channel;
  };

  return {
    /** What one recipient would get: the rendered message (signature and opt-out included) and its SMS length. */
    async previewFor(campaignId: string, input: { contactId: string; channel?: Channel }): Promise<RenderedMessage & { channel: Channel; sms?: SmsStats }> {
      const campaign = await campaignOf(campaignId);
      const contact = await liveContact(input.contactId);
      const channel = channelFor(campaign, input.channel);
      const rendered = await deps.render({
        templateKey: campaign.templateKey, channel, kind: campaign.kind, contact, data: await dataFor(campaign, contact),
      });
      return { ...rendered, channel, ...(channel === 'sms' ? { sms: smsStats(rendered.text) } : {}) };
    },

    /** One test copy to a contact or an address, now (see TEST_DEDUPE_PREFIX); returns the message id. */
    async testSend(campaignId: string, input: TestSendInput): Promise<{ messageId: string; contactId: string; channel: Channel }> {
      const campaign = await campaignOf(campaignId);
      const recipient = await recipientOf(input);
      const channel = channelFor(campaign, input.channel ?? recipient.channel);
      const data = { ...(await dataFor(campaign, recipient.contact)), test: { campaignId } };
      const result = await deps.outbox.enqueue([{
        dedupeKey: `${TEST_DEDUPE_PREFIX}${campaignId}:${randomUUID()}`, contactId: recipient.contact.id, channel,
        kind: campaign.kind, scheduledAt: clock.now(), templateKey: campaign.templateKey, data,
      }]);
      return { messageId: result.created[0], contactId: recipient.contact.id, channel };
    },
  };
}
export type CampaignTestSend = ReturnType<typeof createCampaignTestSend>;
