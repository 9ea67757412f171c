import { useApiQuery } from '../api/queries';
import type { CouponBatch } from '../api/coupons.types';
import { useI18n } from '../i18n/i18n';

/** Picks the coupon batch a campaign or automation takes one code per message from (empty: none). */
export function CouponPicker({ value, onChange, disabled = false }: { value: string | null; onChange(batchId: string | null): void; disabled?: boolean }) {
  const { t } = useI18n();
  const batches = useApiQuery<{ items: CouponBatch[] }>('/v1/coupon-batches');
  return (
    <label>{t('coupons.picker')}
      <select name="couponBatchId" value={value ?? ''} disabled={disabled} onChange={(e) => onChange(e.target.value || null)}>
        <option value="">{t('coupons.noCoupon')}</option>
        {(batches.data?.items ?? []).map((b) => (
          <option key={b.id} value={b.id}>{b.name} · {b.value} {b.currency} · {t('coupons.available')} {b.stats.available}</option>
        ))}
      </select>
    </label>
  );
}
