import type { MessageRow } from './message-rows';

/** The API.md shape of a message; optional fields are left out rather than sent as null. */
export function toMessageView(row: MessageRow) {
  return {
    id: row.id,
    contactId: row.contactId,
    channel: row.channel,
    kind: row.kind,
    status: row.status,
    scheduledAt: row.scheduledAt.toISOString(),
    sentAt: row.sentAt ? row.sentAt.toISOString() : null,
    to: row.toAddress,
    ...(row.subject !== null ? { subject: row.subject } : {}),
    body: row.body,
    provider: row.provider,
    providerMessageId: row.providerMessageId,
    ...(row.error !== null ? { error: row.error } : {}),
    ...(row.campaignId !== null ? { campaignId: row.campaignId } : {}),
    ...(row.resendOf !== null ? { resendOf: row.resendOf } : {}),
    ...(row.couponCode ? { couponCode: row.couponCode } : {}),
  };
}
export type MessageView = ReturnType<typeof toMessageView>;
