import { useState } from 'react';
import { api, request } from '../api/client';
import type { CouponBatch, CouponBatchDetail, CouponStats } from '../api/coupons.types';
import { useApiMutation, useApiQuery } from '../api/queries';
import { useSession } from '../auth/session';
import { CouponChart } from '../components/coupon-chart';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../lib/router';

const codesOf = (text: string) => text.split(/[\s,;]+/).map((code) => code.trim()).filter(Boolean);

function StatsRow({ stats }: { stats: CouponStats }) {
  return (
    <>
      <td data-testid="coupon-total">{stats.total}</td>
      <td data-testid="coupon-issued">{stats.issued}</td>
      <td data-testid="coupon-redeemed">{stats.redeemed}</td>
      <td data-testid="coupon-available">{stats.available}</td>
      <td>{stats.expired}</td>
      <td>{(stats.redemptionRate * 100).toFixed(1)} %</td>
      <td>{stats.revenue.toFixed(2)}</td>
    </>
  );
}

function StatsHead() {
  const { t } = useI18n();
  return (
    <>
      <th>{t('coupons.total')}</th><th>{t('coupons.issued')}</th><th>{t('coupons.redeemed')}</th><th>{t('coupons.available')}</th>
      <th>{t('coupons.expired')}</th><th>{t('coupons.rate')}</th><th>{t('coupons.revenue')}</th>
    </>
  );
}

/** Coupon batches: create (generated or imported codes) and the live figures of each. */
export function CouponsPage() {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const list = useApiQuery<{ items: CouponBatch[] }>('/v1/coupon-batches');
  const [form, setForm] = useState({ name: '', value: '', minSpend: '', validDays: '', source: 'generate' as 'generate' | 'import', count: '100', prefix: '', codes: '' });
  const set = (change: Partial<typeof form>) => setForm({ ...form, ...change });
  const create = useApiMutation((body: Record<string, unknown>) => api.post<CouponBatch>('/v1/coupon-batches', body), ['/v1/coupon-batches']);
  const submit = () => create.mutate({
    name: form.name.trim(), value: Number(form.value),
    ...(form.minSpend ? { minSpend: Number(form.minSpend) } : {}),
    ...(form.validDays ? { validDays: Number(form.validDays) } : {}),
    ...(form.source === 'generate' ? { generate: { count: Number(form.count), ...(form.prefix ? { prefix: form.prefix } : {}) } } : { codes: codesOf(form.codes) }),
  }, { onSuccess: (batch) => navigate(`/coupons/${batch.id}`) });
  return (
    <>
      <h1>{t('coupons.title')}</h1>
      {canWrite('campaigns') && (
        <section className="card form" data-testid="coupon-create">
          <h2>{t('coupons.new')}</h2>
          <div className="row">
            <label>{t('common.name')}<input name="batchName" value={form.name} onChange={(e) => set({ name: e.target.value })} /></label>
            <label>{t('coupons.value')}<input name="value" type="number" min="0" value={form.value} onChange={(e) => set({ value: e.target.value })} /></label>
            <label>{t('coupons.minSpend')}<input name="minSpend" type="number" min="0" value={form.minSpend} onChange={(e) => set({ minSpend: e.target.value })} /></label>
            <label>{t('coupons.validDays')}<input name="validDays" type="number" min="1" value={form.validDays} onChange={(e) => set({ validDays: e.target.value })} /></label>
          </div>
          <div className="row">
            <label className="inline"><input type="radio" name="source" checked={form.source === 'generate'} onChange={() => set({ source: 'generate' })} />{t('coupons.generate')}</label>
            <label className="inline"><input type="radio" name="source" checked={form.source === 'import'} onChange={() => set({ source: 'import' })} />{t('coupons.import')}</label>
          </div>
          {form.source === 'generate' ? (
            <div className="row">
              <label>{t('coupons.count')}<input name="count" type="number" min="1" value={form.count} onChange={(e) => set({ count: e.target.value })} /></label>
              <label>{t('coupons.prefix')}<input name="prefix" value={form.prefix} onChange={(e) => set({ prefix: e.target.value })} /></label>
            </div>
          ) : (
            <label>{t('coupons.codes')}<textarea name="codes" rows={4} value={form.codes} onChange={(e) => set({ codes: e.target.value })} /></label>
          )}
          <ErrorBanner error={create.error} />
          <button className="primary" disabled={!form.name.trim() || !form.value || create.isPending} onClick={submit}>{t('common.create')}</button>
        </section>
      )}
      <ErrorBanner error={list.error} />
      {list.isPending ? <Loading /> : list.data?.items.length ? (
        <table className="table" data-testid="coupon-batches">
          <thead><tr><th>{t('common.name')}</th><th>{t('coupons.value')}</th><StatsHead /></tr></thead>
          <tbody>
            {list.data.items.map((b) => (
              <tr key={b.id} data-testid="coupon-batch-row">
                <td><Link to={`/coupons/${b.id}`}>{b.name}</Link></td>
                <td>{b.value} {b.currency}</td>
                <StatsRow stats={b.stats} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p className="muted">{t('coupons.none')}</p>}
    </>
  );
}

/** One batch: its figures, the issued/redeemed chart, and more codes (a list or a CSV file). */
export function CouponBatchPage({ id }: { id: string }) {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const batch = useApiQuery<CouponBatchDetail>(`/v1/coupon-batches/${id}`);
  const [codes, setCodes] = useState('');
  const add = useApiMutation((input: string[] | File) => (Array.isArray(input)
    ? api.post<CouponBatch>(`/v1/coupon-batches/${id}/codes`, input)
    : request<CouponBatch>('POST', `/v1/coupon-batches/${id}/codes`, { raw: { data: input, contentType: 'text/csv' } })), ['/v1/coupon-batches']);
  if (batch.isPending) return <Loading />;
  if (!batch.data) return <ErrorBanner error={batch.error} />;
  const b = batch.data;
  return (
    <>
      <p><Link to="/coupons">← {t('common.back')}</Link></p>
      <h1>{b.name}</h1>
      <p>{b.value} {b.currency}{b.minSpend !== null ? ` · ${t('coupons.minSpend')} ${b.minSpend}` : ''}{b.validDays ? ` · ${t('coupons.validDays')} ${b.validDays}` : ''}</p>
      <table className="table" data-testid="coupon-batch-stats">
        <thead><tr><StatsHead /></tr></thead>
        <tbody><tr><StatsRow stats={b.stats} /></tr></tbody>
      </table>
      <CouponChart title={t('coupons.chart')} days={b.timeline} labels={{ issued: t('coupons.issued'), redeemed: t('coupons.redeemed') }} />
      {canWrite('campaigns') && (
        <section className="card form">
          <h2>{t('coupons.addCodes')}</h2>
          <label>{t('coupons.codes')}<textarea name="moreCodes" rows={3} value={codes} onChange={(e) => setCodes(e.target.value)} /></label>
          <label>{t('coupons.csv')}<input type="file" accept=".csv,text/csv" onChange={(e) => e.target.files?.[0] && add.mutate(e.target.files[0])} /></label>
          <ErrorBanner error={add.error} />
          <button className="primary" disabled={!codesOf(codes).length || add.isPending} onClick={() => add.mutate(codesOf(codes), { onSuccess: () => setCodes('') })}>{t('coupons.addCodes')}</button>
        </section>
      )}
    </>
  );
}
