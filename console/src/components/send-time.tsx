import { useI18n } from '../i18n/i18n';
import type { Campaign } from '../api/types';
import { campaignDate } from '../lib/holidays';

interface Timed {
  sendLocal?: { date?: string; time: string } | null;
  sendAt?: string | null;
  nextRunAt?: string | null;
}

/**
 * When a campaign sends: a local send reads "10:00（按每位客户当地时间）" (its nextRunAt is only the
 * earliest zone's instant, which would read as an SMS at 4 a.m.); an instant shows in the shop's zone.
 */
export function SendTime({ campaign }: { campaign: Timed }) {
  const { formatInstant, formatLocalSend } = useI18n();
  if (campaign.sendLocal) {
    const date = campaignDate(campaign as Campaign);
    return <span data-testid="send-time" data-local="true">{formatLocalSend(date, campaign.sendLocal.time)}</span>;
  }
  return <span data-testid="send-time">{formatInstant(campaign.nextRunAt ?? campaign.sendAt)}</span>;
}
