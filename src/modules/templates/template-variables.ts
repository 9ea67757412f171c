import type { ContactRow } from '../../db/schema';
import type { BrandVariables } from './brand';
import { salutationTitle } from './render/locale-text';

/**
 * The KNOWN VARIABLE SCHEMA: what a template may reference. Templates are checked against this,
 * never against the data, so a contact without a name renders empty instead of failing while a
 * typo (`contact.nmae`) is rejected at save time. `true` is a leaf; `'*'` allows any sub-path.
 */
export type VariableSchema = { readonly [name: string]: true | '*' | VariableSchema };

export const KNOWN_VARIABLES: VariableSchema = {
  contact: {
    name: true, firstName: true, lastName: true, salutation: true, gender: true, locale: true,
    email: true, phone: true, birthday: true, tier: true, tags: true, attributes: '*', referralCode: true,
  },
  /** The message's own coupon code (campaigns and automations with `couponBatchId`; the referral voucher). */
  coupon: { code: true, value: true, currency: true, minSpend: true, expiresAt: true },
  /** The referral reward's thank-you: the friend who was referred and their order. */
  referral: { name: true, orderAmount: true, currency: true },
  holiday: { name: true, date: true, key: true },
  order: {
    externalId: true, amount: true, currency: true, status: true, placedAt: true, paidAt: true,
    trackingNumber: true, carrier: true, departureAt: true, items: '*', attributes: '*',
  },
  campaign: { name: true },
  brand: { name: true, phone: true, signature: true },
  unsubscribeUrl: true,
  /** The satisfaction survey's public page (`/s/:token`), in survey messages. */
  survey: { url: true },
};

/** The schema as a list for pickers: `contact.name`, and `contact.attributes.*` where any sub-path goes. */
export function variablePaths(schema: VariableSchema = KNOWN_VARIABLES, prefix = ''): { path: string; anySubPath: boolean }[] {
  return Object.entries(schema).flatMap(([name, value]) => {
    const path = prefix + name;
    if (value === true) return [{ path, anySubPath: false }];
    if (value === '*') return [{ path, anySubPath: true }];
    return variablePaths(value, `${path}.`);
  });
}

export interface ContactVariables {
  name: string | null;
  firstName: string | null;
  lastName: string | null;
  salutation: string | null;
  gender: string;
  locale: string;
  email: string | null;
  phone: string | null;
  birthday: string | null;
  tier: string | null;
  tags: string[];
  attributes: Record<string, unknown>;
  /** This contact's own code for referring friends. */
  referralCode?: string | null;
  /** Not a template variable: lets `formatDate` show instants on the contact's wall clock. */
  timeZone?: string;
}

/** Extra variables a caller supplies per message (holiday blast, order follow-up, campaign). */
export interface MessageData {
  holiday?: { name?: string; date?: string; key?: string };
  /** The order of a follow-up or an order notice, as of when the message was made (instants as ISO strings). */
  order?: {
    externalId?: string; amount?: string | number; currency?: string; status?: string; placedAt?: string; paidAt?: string | null;
    trackingNumber?: string | null; carrier?: string | null; departureAt?: string | null;
    items?: { sku?: string; name: string; quantity: number; price?: string }[]; attributes?: Record<string, unknown>;
  };
  campaign?: { name?: string };
  coupon?: { code?: string; value?: string; currency?: string; minSpend?: string | null; expiresAt?: string | null };
  referral?: { name?: string | null; orderAmount?: string; currency?: string };
  unsubscribeUrl?: string;
  [extra: string]: unknown;
}

export type TemplateVariables = MessageData & { contact: ContactVariables; brand: BrandVariables };

// Two-character surnames are rare but common enough in greetings (欧阳女士) to get wrong visibly.
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '令狐', '夏侯', '端木', '司徒'];
const CJK = /[\u3400-\u9fff]/;

export function splitName(name: string | null): { firstName: string | null; lastName: string | null } {
  const trimmed = name?.trim();
  if (!trimmed) return { firstName: null, lastName: null };
  if (CJK.test(trimmed) && !/\s/.test(trimmed)) {
    if (trimmed.length === 1) return { firstName: null, lastName: trimmed };
    const surnameLength = COMPOUND_SURNAMES.some((s) => trimmed.startsWith(s)) && trimmed.length > 2 ? 2 : 1;
    return { lastName: trimmed.slice(0, surnameLength), firstName: trimmed.slice(surnameLength) };
  }
  const words = trimmed.split(/\s+/);
  return { firstName: words[0], lastName: words.length > 1 ? words[words.length - 1] : null };
}

/** 王女士 / Ms. Smith: the polite form of address, or the bare name when the gender is unknown. */
export function politeAddress(name: string | null, gender: string, locale: string): string | null {
  const { lastName } = splitName(name);
  const title = salutationTitle(gender, locale);
  if (!lastName || !title) return name?.trim() || null;
  return locale.toLowerCase().startsWith('zh') ? `${lastName}${title}` : `${title} ${lastName}`;
}

function birthdayText(row: ContactRow): string | null {
  if (!row.birthdayMonth || !row.birthdayDay) return null;
  const mmdd = `${String(row.birthdayMonth).padStart(2, '0')}-${String(row.birthdayDay).padStart(2, '0')}`;
  return row.birthdayYear ? `${row.birthdayYear}-${mmdd}` : `--${mmdd}`;
}

export function contactVariables(row: ContactRow): ContactVariables {
  return {
    name: row.name,
    ...splitName(row.name),
    salutation: politeAddress(row.name, row.gender, row.locale),
    gender: row.gender,
    locale: row.locale,
    email: row.email,
    phone: row.phone,
    birthday: birthdayText(row),
    tier: row.tier,
    tags: row.tags ?? [],
    attributes: row.attributes ?? {},
    referralCode: row.referralCode ?? null,
    timeZone: row.timeZone,
  };
}

/** No one in particular: an automatic reply to a number that may belong to no contact. */
export function anonymousContact(locale: string): ContactVariables {
  return {
    name: null, firstName: null, lastName: null, salutation: null, gender: 'unspecified', locale,
    email: null, phone: null, birthday: null, tier: null, tags: [], attributes: {},
  };
}

/**
 * Sample values so a preview without a contact renders every shipped template. The brand is the
 * real one (`brandOf`), never a stand-in: a preview must show what recipients will get.
 */
export function sampleVariables(locale: string, brand: BrandVariables): TemplateVariables {
  const zh = locale.toLowerCase().startsWith('zh');
  const name = zh ? '王丽' : 'Jane Smith';
  return {
    contact: {
      name, ...splitName(name), salutation: politeAddress(name, 'female', locale), gender: 'female', locale,
      email: 'jane@example.com', phone: '+8613800138000', birthday: '--09-15', tier: 'gold', tags: ['vip'], attributes: {},
      referralCode: 'K7M2P9Q4RT',
    },
    coupon: { code: 'GIFT8K2M9Q', value: '50.00', currency: 'CNY', minSpend: '200.00', expiresAt: '2027-10-15T16:00:00Z' },
    referral: { name: zh ? '李明' : 'Tom Lee', orderAmount: '680.00', currency: 'CNY' },
    holiday: zh ? { name: '中秋节', date: '2027-09-15', key: 'mid-autumn' } : { name: 'Mid-Autumn Festival', date: '2027-09-15', key: 'mid-autumn' },
    order: {
      externalId: 'SO-1001', amount: '299.00', currency: 'CNY', status: 'shipped', placedAt: '2027-09-01T10:00:00+08:00',
      paidAt: '2027-09-01T10:05:00+08:00', trackingNumber: 'SF1234567890', carrier: zh ? '顺丰速运' : 'UPS',
      departureAt: '2027-09-20T08:30:00+08:00', items: [{ sku: 'T-100', name: zh ? '三亚五日游' : 'Five days in Sanya', quantity: 1, price: '299.00' }],
      attributes: {},
    },
    campaign: { name: zh ? '金秋特惠' : 'Autumn sale' },
    brand,
    unsubscribeUrl: 'https://example.com/unsubscribe/sample',
    survey: { url: 'https://example.com/s/sample' },
  };
}
