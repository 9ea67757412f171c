import { useApiQuery } from '../api/queries';
import type { ReferralStats } from '../api/coupons.types';
import { useI18n } from '../i18n/i18n';
import { ErrorBanner } from './error-banner';

/** The contact's referral figures (滚雪球): its code, whom it referred, the rewards issued and used. */
export function ReferralPanel({ contactId }: { contactId: string }) {
  const { t } = useI18n();
  const stats = useApiQuery<ReferralStats>(`/v1/contacts/${contactId}/referrals`);
  if (!stats.data) return <ErrorBanner error={stats.error} />;
  const s = stats.data;
  const figures: [string, string | number][] = [
    [t('referrals.code'), s.referralCode], [t('referrals.referred'), s.referred], [t('referrals.rewardsIssued'), s.rewardsIssued],
    [t('referrals.rewardsRedeemed'), s.rewardsRedeemed], [t('referrals.rewardsVoided'), s.rewardsVoided],
  ];
  return (
    <section className="card" data-testid="referral-figures">
      <h2>{t('referrals.title')}</h2>
      <dl className="fields">{figures.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{value}</dd></div>)}</dl>
    </section>
  );
}
