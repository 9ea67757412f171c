import type { ContactRow } from './contacts.repository';
import type { ContactView } from './contacts.schemas';
import { lifecycleOf, type LifecycleThresholds } from './lifecycle';

const pad = (n: number) => String(n).padStart(2, '0');

/** '1990-08-15', or '--08-15' when the year is unknown (ISO 8601's yearless form). */
export function formatBirthday(row: Pick<ContactRow, 'birthdayYear' | 'birthdayMonth' | 'birthdayDay'>): string | null {
  if (!row.birthdayMonth || !row.birthdayDay) return null;
  const monthDay = `${pad(row.birthdayMonth)}-${pad(row.birthdayDay)}`;
  return row.birthdayYear ? `${String(row.birthdayYear).padStart(4, '0')}-${monthDay}` : `--${monthDay}`;
}

/** The contact as API.md shows it. */
export function toContactView(row: ContactRow, now: Date, thresholds: LifecycleThresholds): ContactView {
  return {
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    phone: row.phone,
    email: row.email,
    locale: row.locale,
    timeZone: row.timeZone,
    gender: row.gender,
    birthday: formatBirthday(row),
    birthdayCalendar: row.birthdayCalendar,
    birthdayLeapMonth: row.birthdayLeapMonth,
    tags: row.tags,
    tier: row.tier,
    attributes: row.attributes,
    consent: { sms: row.consentSms, email: row.consentEmail },
    consentDetails: {
      sms: { at: row.consentSmsAt.toISOString(), source: row.consentSmsSource },
      email: { at: row.consentEmailAt.toISOString(), source: row.consentEmailSource },
    },
    ...(row.referralCode ? { referralCode: row.referralCode, referredBy: row.referredBy ?? null } : {}),
    nextBirthdayAt: row.nextBirthdayAt?.toISOString() ?? null,
    lifecycle: lifecycleOf(row, now, thresholds),
    orderCount: row.orderCount,
    spentTotal: row.spentTotal,
    avgOrderValue: row.orderCount > 0 ? (Number(row.spentTotal) / row.orderCount).toFixed(2) : null,
    firstOrderAt: row.firstOrderAt?.toISOString() ?? null,
    lastOrderAt: row.lastOrderAt?.toISOString() ?? null,
    lastContactedAt: row.lastContactedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
