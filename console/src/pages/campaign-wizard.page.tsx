import { useEffect, useState } from 'react';
import { CouponPicker } from '../components/coupon-picker';
import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Campaign, Channel, Estimate, Holiday, Page, Segment, SegmentFilter, SegmentPreview, Template } from '../api/types';
import { ChannelPicker } from '../components/channel-picker';
import { ErrorBanner } from '../components/error-banner';
import { SegmentFilterFields } from '../components/segment-filter-fields';
import { useI18n } from '../i18n/i18n';
import { holidayName } from '../lib/holidays';
import { navigate } from '../lib/router';

interface Plan {
  kind: 'holiday' | 'promo';
  holidayKey: string;
  date: string;
  time: string;
  audience: 'segment' | 'filter';
  segmentId: string;
  filter: SegmentFilter;
  templateKey: string;
  channels: Channel[];
  name: string;
  couponBatchId: string | null;
}

/** The body of POST /v1/campaigns (and of its estimate) for a plan. */
function campaignBody(plan: Plan, name: string) {
  return {
    name, kind: plan.kind, holidayKey: plan.kind === 'holiday' ? plan.holidayKey : undefined,
    sendLocal: { date: plan.date, time: plan.time }, templateKey: plan.templateKey, channels: plan.channels,
    ...(plan.audience === 'segment' ? { segmentId: plan.segmentId } : { filter: plan.filter }),
    ...(plan.couponBatchId ? { couponBatchId: plan.couponBatchId } : {}),
  };
}

/** holiday or date → recipient-local time → segment or filter → template → channels → estimate → schedule. */
export function CampaignWizardPage({ holidayKey, date }: { holidayKey: string | null; date: string | null }) {
  const { t, term, language } = useI18n();
  const [plan, setPlan] = useState<Plan>({
    kind: holidayKey ? 'holiday' : 'promo', holidayKey: holidayKey ?? '', date: date ?? '', time: '10:00',
    audience: 'segment', segmentId: '', filter: {}, templateKey: holidayKey ? 'festival' : 'promo', channels: ['sms'], name: '', couponBatchId: null,
  });
  const year = Number((plan.date || new Date().toISOString()).slice(0, 4));
  const holidays = useApiQuery<{ items: Holiday[] }>('/v1/holidays', { year });
  const segments = useApiQuery<Page<Segment>>('/v1/segments', { limit: 500 });
  const templates = useApiQuery<Page<Template>>('/v1/templates', { limit: 500 });
  const segmentCount = useApiQuery<SegmentPreview>(plan.segmentId ? `/v1/segments/${plan.segmentId}/preview` : null);
  const templateKeys = [...new Set((templates.data?.items ?? []).map((tpl) => tpl.key))].sort();
  const holiday = holidays.data?.items.find((h) => h.key === plan.holidayKey);
  const body = campaignBody(plan, plan.name.trim() || `${holiday ? holidayName(holiday, language) : plan.templateKey} ${plan.date} ${plan.time}`);

  // The estimate prices the draft without saving it; "schedule" then creates exactly the draft that was estimated.
  const estimate = useApiMutation((draft: typeof body) => api.post<Estimate>('/v1/campaigns/estimate', draft), []);
  const schedule = useApiMutation(async (draft: typeof body) => {
    const campaign = await api.post<Campaign>('/v1/campaigns', draft);
    return api.post<Campaign>(`/v1/campaigns/${campaign.id}/schedule`);
  }, ['/v1/campaigns']);

  // Any change after an estimate makes it stale: drop it so the estimate is redone.
  const update = (changes: Partial<Plan>) => {
    estimate.reset();
    schedule.reset();
    setPlan((p) => ({ ...p, ...changes }));
  };
  useEffect(() => {
    if (holiday && plan.kind === 'holiday' && plan.date !== holiday.date) setPlan((p) => ({ ...p, date: holiday.date }));
  }, [holiday, plan.kind, plan.date]);

  const ready = plan.date && plan.time && plan.templateKey && plan.channels.length > 0 && (plan.audience === 'filter' || plan.segmentId) && (plan.kind === 'promo' || plan.holidayKey);
  const busy = estimate.isPending || schedule.isPending;
  const figures = estimate.data;

  return (
    <>
      <h1>{t('campaigns.new')}</h1>
      <section className="card form wizard">
        <h2>1 · {t('campaigns.when')}</h2>
        <div className="row">
          <label className="inline"><input type="radio" name="kind" checked={plan.kind === 'holiday'} onChange={() => update({ kind: 'holiday', templateKey: 'festival' })} />{t('campaigns.holiday')}</label>
          <label className="inline"><input type="radio" name="kind" checked={plan.kind === 'promo'} onChange={() => update({ kind: 'promo', holidayKey: '', templateKey: 'promo' })} />{t('campaigns.promo')}</label>
        </div>
        <div className="row">
          {plan.kind === 'holiday' && (
            <label>{t('campaigns.holiday')}
              <select name="holiday" value={plan.holidayKey} onChange={(e) => update({ holidayKey: e.target.value })}>
                <option value="">—</option>
                {(holidays.data?.items ?? []).filter((h) => h.greeting).map((h) => <option key={h.key} value={h.key}>{holidayName(h, language)} · {h.date}</option>)}
              </select>
            </label>
          )}
          <label>{t('common.date')}<input type="date" name="date" value={plan.date} onChange={(e) => update({ date: e.target.value })} /></label>
          <label>{t('campaigns.localTime')}<input type="time" name="time" value={plan.time} onChange={(e) => update({ time: e.target.value })} /></label>
        </div>
        <h2>2 · {t('campaigns.audience')}</h2>
        <div className="row">
          <label className="inline"><input type="radio" name="audience" checked={plan.audience === 'segment'} onChange={() => update({ audience: 'segment' })} />{t('campaigns.segment')}</label>
          <label className="inline"><input type="radio" name="audience" checked={plan.audience === 'filter'} onChange={() => update({ audience: 'filter' })} />{t('campaigns.filter')}</label>
        </div>
        {plan.audience === 'segment' ? (
          <label>{t('campaigns.segment')}
            <select name="segment" value={plan.segmentId} onChange={(e) => update({ segmentId: e.target.value })}>
              <option value="">—</option>
              {(segments.data?.items ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
            </select>
            {segmentCount.data && <span className="muted" data-testid="wizard-segment-count"> {t('segments.count')}: {segmentCount.data.count}</span>}
          </label>
        ) : <SegmentFilterFields value={plan.filter} onChange={(filter) => update({ filter })} />}
        <h2>3 · {t('campaigns.template')} · {t('common.channels')}</h2>
        <div className="row">
          <label>{t('campaigns.template')}
            <select name="templateKey" value={plan.templateKey} onChange={(e) => update({ templateKey: e.target.value })}>
              {templateKeys.map((key) => <option key={key} value={key}>{key}</option>)}
            </select>
          </label>
          <div>{t('common.channels')}: <ChannelPicker value={plan.channels} disabled={false} onChange={(channels) => update({ channels })} /></div>
          <label>{t('common.name')}<input name="campaignName" value={plan.name} onChange={(e) => update({ name: e.target.value })} /></label>
          <CouponPicker value={plan.couponBatchId} onChange={(couponBatchId) => update({ couponBatchId })} />
        </div>
        <ErrorBanner error={estimate.error} />
        <button className="primary" disabled={!ready || busy} onClick={() => estimate.mutate(body)}>4 · {t('campaigns.estimate')}</button>
      </section>
      {figures && (
        <section className="card estimate" data-testid="estimate">
          <h2>{t('campaigns.estimate')}</h2>
          <dl className="fields">
            <div><dt>{t('campaigns.recipients')}</dt><dd data-testid="estimate-recipients">{figures.recipients}</dd></div>
            <div><dt>{t('campaigns.byChannel')}</dt><dd data-testid="estimate-by-channel">{term('channel', 'sms')} {figures.byChannel.sms} / {term('channel', 'email')} {figures.byChannel.email}</dd></div>
            <div><dt>{t('campaigns.smsSegments')}</dt><dd data-testid="estimate-segments">{figures.smsSegments}</dd></div>
            <div><dt>{t('campaigns.cost')}</dt><dd data-testid="estimate-cost">{figures.estimatedCost.toFixed(2)}</dd></div>
            {plan.couponBatchId && <div><dt>{t('coupons.needed')}</dt><dd data-testid="estimate-coupons">{figures.couponsNeeded} / {t('coupons.available')} {figures.couponsAvailable ?? '—'}</dd></div>}
          </dl>
          <ErrorBanner error={schedule.error} />
          <button className="primary" disabled={busy} onClick={() => schedule.mutate(estimate.variables!, { onSuccess: (campaign) => navigate(`/campaigns/${campaign.id}`) })}>5 · {t('campaigns.schedule')}</button>
        </section>
      )}
    </>
  );
}
