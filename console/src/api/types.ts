/** The API.md shapes the console reads (a subset of each resource's fields). */

export type Role = 'admin' | 'ops' | 'marketer' | 'viewer';
export type Channel = 'sms' | 'email';
/** A contact's class (API.md "Care journeys"). Filters also take the legacy `none` = prospect, cooling or gone. */
export type Lifecycle = 'prospect' | 'new' | 'active' | 'cooling' | 'lapsing' | 'lost' | 'gone';
export const LIFECYCLES: Lifecycle[] = ['prospect', 'new', 'active', 'cooling', 'lapsing', 'lost', 'gone'];
export const MESSAGE_STATUSES = ['scheduled', 'queued', 'sending', 'sent', 'delivered', 'failed', 'undelivered', 'suppressed', 'cancelled', 'expired', 'unknown'] as const;
export const MESSAGE_KINDS = ['birthday', 'first-order', 'holiday', 'promo', 'manual', 'order', 'festival', 'survey'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Me {
  id: string;
  name: string;
  role: Role;
  /** The shop's zone (DEFAULT_TIMEZONE). */
  timeZone?: string;
}

export interface Contact {
  id: string;
  externalId: string | null;
  name: string | null;
  phone: string | null;
  email: string | null;
  locale: string;
  timeZone: string;
  gender: string;
  birthday: string | null;
  birthdayCalendar: 'gregorian' | 'lunar';
  birthdayLeapMonth?: boolean;
  tags: string[];
  tier: string | null;
  attributes: Record<string, unknown>;
  consent: Record<Channel, boolean>;
  consentDetails: Record<Channel, { at: string; source: string }>;
  nextBirthdayAt: string | null;
  lifecycle: Lifecycle;
  orderCount: number;
  spentTotal: string;
  avgOrderValue: string | null;
  firstOrderAt: string | null;
  lastOrderAt: string | null;
  lastContactedAt: string | null;
  createdAt: string;
}

export interface OrderNotice {
  messageId: string;
  notice: string;
  channel: Channel;
  status: string;
  reason: string | null;
  scheduledAt: string;
}

export interface Order {
  id: string;
  externalId: string;
  contactId: string;
  amount: string;
  currency: string;
  placedAt: string;
  status: string;
  paidAt: string | null;
  trackingNumber: string | null;
  carrier: string | null;
  departureAt: string | null;
  items: Array<{ sku?: string; name: string; quantity: number; price?: string }>;
  couponCode: string | null;
  statusHistory: Array<{ status: string; at: string }>;
  isFirstOrder: boolean;
  followUp?: { messageIds: string[]; scheduledAt: string | null; status: string; reason?: string };
  notices?: OrderNotice[];
}

export interface ImportResult {
  created: number;
  updated: number;
  /** The first rejected rows (up to IMPORT_MAX_REJECTED_LISTED); `rejectedCount` has them all. */
  rejected: Array<{ row: number; errors: Array<{ field: string; message: string; code?: string }> }>;
  rejectedCount: number;
  rejectedTruncated: boolean;
  mapping?: Record<string, string | null>;
  ignoredColumns?: string[];
  encoding?: string;
}

/** The import's mapping step: what the server read of the file's head (POST /v1/contacts/import/preview). */
export interface ImportPreview {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  headers: string[];
  mapping: Record<string, string | null>;
  ignoredColumns: string[];
  fields: string[];
  sample: Array<{ row: number; cells: string[] }>;
}

export interface Template {
  id: string;
  key: string;
  channel: Channel;
  locale: string;
  variant: string | null;
  version: number;
  isCurrent: boolean;
  subject: string | null;
  body: string;
  html: string | null;
  /** SMS: the gateway (Aliyun/Tencent) template code and params; null = none. */
  gateway?: { templateCode: string | null; params: Record<string, string> } | null;
  createdAt: string;
  /** Save-time warnings, e.g. `no_gateway_template: …`. */
  warnings?: string[];
}

export interface Preview {
  subject?: string;
  text: string;
  html?: string;
  sms: { encoding: string; segments: number; characters: number };
}

export interface BirthdayAutomation {
  key: 'birthday';
  /** Share of recipients held out as the control group (0–50): no message, so the report can measure lift. */
  holdoutPercent?: number;
  /** Each message takes one code of this coupon batch. */
  couponBatchId?: string | null;
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  sendAt: string;
  /** Only this segment's contacts, or this filter's; neither = everyone. */
  segmentId: string | null;
  filter: SegmentFilter | null;
}

export interface FirstOrderAutomation {
  key: 'first-order-follow-up';
  /** Share of recipients held out as the control group (0–50): no message, so the report can measure lift. */
  holdoutPercent?: number;
  /** Each message takes one code of this coupon batch. */
  couponBatchId?: string | null;
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  delayDays: number;
  windowEndDays: number;
  sendAt: string;
  /** Counted from the first order's placing, or from its payment. */
  trigger: 'placed' | 'paid';
}

/** The standing festival greetings (API.md "Care journeys"). */
export interface FestivalsAutomation {
  key: 'festivals';
  /** Share of recipients held out as the control group (0–50): no message, so the report can measure lift. */
  holdoutPercent?: number;
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
  holidays: string[];
  sendAt: string;
  segmentId: string | null;
  filter: SegmentFilter | null;
  /** Each greeting takes one code of this coupon batch. */
  couponBatchId?: string | null;
}

export interface OrderNoticeSetting {
  enabled: boolean;
  channels: Channel[];
  templateKey: string;
}

/** 催付, 发货, 到货, 签收 and the trip reminder (API.md "Orders as a journey"). */
export interface OrderNoticesAutomation {
  key: 'order-notices';
  paymentReminder: OrderNoticeSetting & { afterMinutes: number };
  shipped: OrderNoticeSetting;
  delivered: OrderNoticeSetting;
  signed: OrderNoticeSetting;
  tripReminder: OrderNoticeSetting & { daysBefore: number; sendAt: string };
}
export const ORDER_NOTICES = ['paymentReminder', 'shipped', 'delivered', 'signed', 'tripReminder'] as const;
export type OrderNoticeName = (typeof ORDER_NOTICES)[number];

export interface Holiday {
  key: string;
  name: string;
  names: Record<string, string>;
  date: string;
  calendar: 'gregorian' | 'lunar';
  greeting: boolean;
}

export const GENDERS = ['female', 'male', 'unspecified'] as const;
export type Gender = (typeof GENDERS)[number];

export interface SegmentFilter {
  tags?: string[];
  tiers?: string[];
  lifecycle?: (Lifecycle | 'none')[];
  locale?: string[];
  channel?: Channel;
  gender?: Gender[];
  ageMin?: number;
  ageMax?: number;
  country?: string[];
  timeZone?: string[];
  orderCountMin?: number;
  orderCountMax?: number;
  spentMin?: number;
  spentMax?: number;
  lastOrderWithinDays?: number;
  notContactedForDays?: number;
}

export interface Segment {
  id: string;
  name: string;
  filter: SegmentFilter;
  createdAt: string;
}

export interface SegmentPreview {
  count: number;
  sample: Array<{ id: string; name: string | null }>;
}

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export interface Campaign {
  id: string;
  name: string;
  kind: 'holiday' | 'promo';
  holidayKey: string | null;
  sendAt: string | null;
  sendLocal: { date?: string; time: string } | null;
  segmentId: string | null;
  filter: SegmentFilter | null;
  templateKey: string;
  channels: Channel[];
  status: CampaignStatus;
  nextRunAt: string | null;
  createdAt: string;
  stats?: Record<string, number>;
  couponBatchId?: string | null;
  holdoutPercent?: number;
}

export interface Estimate {
  recipients: number;
  byChannel: Record<Channel, number>;
  smsSegments: number;
  estimatedCost: number;
  currency: string;
  excluded?: { noConsent: number; suppressed: number; noAddress: number; frequencyCap: number; holdout: number; noPhone?: number };
  /** The control group left out of `recipients` and the cost (`holdoutPercent`). */
  heldOut: number;
  couponsNeeded?: number;
  couponsAvailable?: number;
}

export interface ShopSettingsValues {
  brand: { name: string; phone: string; smsSignature: string };
  quietHours: string;
  frequencyCap: { max: number; days: number };
  smsPricePerSegment: Record<string, number>;
  emailPrice: number;
  currency: string;
}

export interface ShopSettings extends ShopSettingsValues {
  brandMissing: boolean;
  defaults: ShopSettingsValues;
  timeZone: string;
  today: string;
}

export interface RecipientPreview {
  channel: Channel;
  subject?: string;
  text: string;
  sms?: { encoding: string; segments: number; characters: number };
}

export interface Message {
  id: string;
  contactId: string;
  channel: Channel;
  kind: string;
  status: MessageStatus;
  scheduledAt: string;
  sentAt: string | null;
  to: string | null;
  subject?: string;
  body: string | null;
  provider: string | null;
  providerMessageId: string | null;
  error?: string;
  campaignId?: string;
  contactName?: string | null;
  campaignName?: string | null;
}

export interface MessageWithEvents extends Message {
  events: Array<{ status: string; at: string; reason: string | null }>;
}
