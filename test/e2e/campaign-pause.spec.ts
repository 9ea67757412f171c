import { randomUUID } from 'node:crypto';
import { startDeliveryHarness, stepsOf, type DeliveryHarness } from './e2e-harness';
import { jobOf, sendOnce } from '../messages/message-fixtures';

/** A paused campaign holds its queued messages at send time (re-delayed, never dropped); resuming lets them go. */
describe('Campaign pause at send time', () => {
  let h: DeliveryHarness;
  beforeAll(async () => {
    h = await startDeliveryHarness();
    await h.api('POST', '/v1/templates', { key: 'flash-sale', channel: 'sms', locale: 'zh-CN', body: '{{contact.name}}，限时特惠！' });
  });
  afterAll(() => h.close());

  const smsJob = (messageId: string) => jobOf(h.ctx, messageId);

  /** A scheduled campaign (paused by the marketer), and one of its messages queued for a contact. */
  async function pausedCampaignWithQueuedMessage() {
    const contact = await h.createContact({ name: '赵敏' });
    const campaign = await h.api('POST', '/v1/campaigns', {
      name: `flash ${randomUUID().slice(0, 6)}`, kind: 'promo', sendAt: '2027-03-11T02:00:00Z', filter: { tags: ['nobody'] },
      templateKey: 'flash-sale', channels: ['sms'],
    }, 'marketer');
    await h.api('POST', `/v1/campaigns/${campaign.id}/schedule`, undefined, 'marketer');
    expect((await h.api('POST', `/v1/campaigns/${campaign.id}/pause`, undefined, 'marketer')).status).toBe('paused');
    // What the fan-out writes for each recipient; the send worker picks it up at once.
    const { created: [messageId] } = await h.ctx.services.outbox.enqueue([{
      dedupeKey: `campaign:${campaign.id}:test:${contact.id}:sms`, contactId: contact.id, channel: 'sms', kind: 'promo',
      scheduledAt: h.ctx.clock.now(), templateKey: 'flash-sale', campaignId: campaign.id,
    }]);
    return { contact, campaignId: campaign.id as string, messageId };
  }

  /** Waits until the row is back to `queued` as held and its job re-delayed (the worker does the latter just after). */
  async function heldOnce(messageId: string) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const message = await h.api('GET', `/v1/messages/${messageId}`);
      const held = message.status === 'queued' && message.events.some((event: { reason: string }) => event.reason === 'campaign paused');
      if (held && (await (await smsJob(messageId))?.isDelayed())) return message;
      if (Date.now() > deadline) throw new Error(`never held: ${JSON.stringify(message.events)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('does not send a queued message of a paused campaign, and sends it once after resume', async () => {
    const { contact, campaignId, messageId } = await pausedCampaignWithQueuedMessage();
    const held = await heldOnce(messageId);
    expect(stepsOf(held)).toEqual(['queued', 'sending', 'queued']);
    expect(new Date(held.scheduledAt).getTime()).toBe(h.ctx.clock.now().getTime() + 60_000);
    expect(h.twilio.requests.filter((request) => request.form.To === contact.phone)).toHaveLength(0);

    expect((await h.api('POST', `/v1/campaigns/${campaignId}/resume`, undefined, 'marketer')).status).toBe('scheduled');
    await (await smsJob(messageId))!.promote(); // the minute's wait, brought forward: the next look finds it resumed
    const sent = await h.settled(messageId);
    expect(sent).toMatchObject({ status: 'sent', body: '赵敏，限时特惠！回T退订' });
    expect(stepsOf(sent)).toEqual(['queued', 'sending', 'queued', 'sending', 'sent']);
    expect(h.twilio.created.filter((request) => request.form.To === contact.phone)).toHaveLength(1);
  });

  it('cancels, never sends, a held message when the paused campaign is cancelled', async () => {
    const { contact, campaignId, messageId } = await pausedCampaignWithQueuedMessage();
    await heldOnce(messageId);

    await h.api('POST', `/v1/campaigns/${campaignId}/cancel`, undefined, 'marketer');
    const cancelled = await h.api('GET', `/v1/messages/${messageId}`);
    expect(cancelled.status).toBe('cancelled');
    expect(stepsOf(cancelled)).toEqual(['queued', 'sending', 'queued', 'cancelled']);
    expect(await smsJob(messageId)).toBeUndefined();
    // Even a send attempt that slipped through (a job removed too late) finds nothing to claim.
    expect(await sendOnce(h.ctx, messageId)).toMatchObject({ outcome: 'skipped' });
    expect(h.twilio.requests.filter((request) => request.form.To === contact.phone)).toHaveLength(0);
  });
});
