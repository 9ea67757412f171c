import { useEffect, useState } from 'react';
import { CouponPicker } from '../components/coupon-picker';
import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Campaign, Channel, Estimate, Holiday, Page, Segment, SegmentFilter, SegmentPreview, ShopSettings, Template } from '../api/types';
import { ChannelPicker } from '../components/channel-picker';
import { ErrorBanner } from '../components/error-banner';
import { HoldoutField, holdoutValid } from '../components/holdout-field';
import { RecipientPreview, TestSendForm } from '../components/campaign-test.panel';
import { SegmentFilterFields } from '../components/segment-filter-fields';
import { useI18n } from '../i18n/i18n';
import { holidayName } from '../lib/holidays';
import { navigate } from '../lib/router';

interface Plan {
  kind: 'holiday' | 'promo';
  holidayKey: string;
  /** `next`: each festival's next occurrence; a year: that year's. */
  year: 'next' | number;
  date: string;
  time: string;
  audience: 'segment' | 'filter';
  segmentId: string;
  filter: SegmentFilter;
  templateKey: string;
  channels: Channel[];
  name: string;
  couponBatchId: string | null;
  /** 0–50 (NaN while the field holds no number: the wizard then neither estimates nor saves). */
  holdoutPercent: number;
}

/** The body of POST /v1/campaigns (and of its estimate, and of a draft's PATCH) for a plan. */
function campaignBody(plan: Plan, name: string) {
  return {
    name, kind: plan.kind, holidayKey: plan.kind === 'holiday' ? plan.holidayKey : undefined,
    sendLocal: { date: plan.date, time: plan.time }, templateKey: plan.templateKey, channels: plan.channels,
    ...(plan.audience === 'segment' ? { segmentId: plan.segmentId } : { filter: plan.filter }),
    ...(plan.couponBatchId ? { couponBatchId: plan.couponBatchId } : {}),
    holdoutPercent: plan.holdoutPercent,
  };
}

function planOf(campaign: Campaign): Plan {
  return {
    kind: campaign.kind, holidayKey: campaign.holidayKey ?? '', year: campaign.sendLocal?.date ? Number(campaign.sendLocal.date.slice(0, 4)) : 'next',
    date: campaign.sendLocal?.date ?? campaign.sendAt?.slice(0, 10) ?? '', time: campaign.sendLocal?.time ?? '10:00',
    audience: campaign.segmentId ? 'segment' : 'filter', segmentId: campaign.segmentId ?? '', filter: campaign.filter ?? {},
    templateKey: campaign.templateKey, channels: campaign.channels, name: campaign.name, couponBatchId: campaign.couponBatchId ?? null,
    holdoutPercent: campaign.holdoutPercent ?? 0,
  };
}

/** Each greeting festival once: its first occurrence on or after `today` (this year's list, then next year's). */
function nextOccurrences(lists: Holiday[][], today: string): Holiday[] {
  const seen = new Map<string, Holiday>();
  for (const holiday of lists.flat()) {
    if (!holiday.greeting || holiday.date < today) continue;
    const known = seen.get(holiday.key);
    if (!known || holiday.date < known.date) seen.set(holiday.key, holiday);
  }
  return [...seen.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * holiday (next occurrence, or a chosen year) or date → recipient-local time → segment or filter →
 * template → channels → estimate (free: nothing is saved) → test send / per-recipient preview
 * (on the saved draft) → confirm (count, cost, first send) → schedule.
 */
export function CampaignWizardPage({ holidayKey, date, draftId: openedDraft }: { holidayKey: string | null; date: string | null; draftId?: string | null }) {
  const { t, term, language } = useI18n();
  const settings = useApiQuery<ShopSettings>('/v1/settings');
  const today = settings.data?.today ?? new Date().toISOString().slice(0, 10);
  const thisYear = Number(today.slice(0, 4));
  const [plan, setPlan] = useState<Plan>({
    kind: holidayKey ? 'holiday' : 'promo', holidayKey: holidayKey ?? '', year: date ? Number(date.slice(0, 4)) : 'next', date: date ?? '', time: '10:00',
    audience: 'segment', segmentId: '', filter: {}, templateKey: holidayKey ? 'festival' : 'promo', channels: ['sms'], name: '', couponBatchId: null,
    holdoutPercent: 0,
  });
  const [draftId, setDraftId] = useState<string | null>(openedDraft ?? null);
  const [confirming, setConfirming] = useState(false);
  const opened = useApiQuery<Campaign>(openedDraft ? `/v1/campaigns/${openedDraft}` : null);
  useEffect(() => {
    if (opened.data) setPlan(planOf(opened.data));
  }, [opened.data]);

  const listYear = plan.year === 'next' ? thisYear : plan.year;
  const holidaysThis = useApiQuery<{ items: Holiday[] }>('/v1/holidays', { year: listYear });
  const holidaysNext = useApiQuery<{ items: Holiday[] }>(plan.year === 'next' ? '/v1/holidays' : null, { year: thisYear + 1 });
  const offered = plan.year === 'next'
    ? nextOccurrences([holidaysThis.data?.items ?? [], holidaysNext.data?.items ?? []], today)
    : (holidaysThis.data?.items ?? []).filter((h) => h.greeting && h.date >= today);
  const segments = useApiQuery<Page<Segment>>('/v1/segments', { limit: 500 });
  const templates = useApiQuery<Page<Template>>('/v1/templates', { limit: 500 });
  const segmentCount = useApiQuery<SegmentPreview>(plan.segmentId ? `/v1/segments/${plan.segmentId}/preview` : null);
  const templateKeys = [...new Set((templates.data?.items ?? []).map((tpl) => tpl.key))].sort();
  const holiday = offered.find((h) => h.key === plan.holidayKey);
  const body = campaignBody(plan, plan.name.trim() || `${holiday ? holidayName(holiday, language) : plan.templateKey} ${plan.date} ${plan.time}`);

  // The estimate prices the plan without saving anything; a draft is saved only on "save", a test or "schedule".
  const estimate = useApiMutation((draft: typeof body) => api.post<Estimate>('/v1/campaigns/estimate', draft), []);
  const saveDraft = async (): Promise<string> => {
    if (draftId) return (await api.patch<Campaign>(`/v1/campaigns/${draftId}`, body)).id;
    const created = await api.post<Campaign>('/v1/campaigns', body);
    setDraftId(created.id);
    return created.id;
  };
  const save = useApiMutation(saveDraft, ['/v1/campaigns']);
  const schedule = useApiMutation(async () => api.post<Campaign>(`/v1/campaigns/${await saveDraft()}/schedule`), ['/v1/campaigns']);

  // Any change after an estimate makes it stale: drop it so the estimate is redone.
  const update = (changes: Partial<Plan>) => {
    estimate.reset();
    schedule.reset();
    save.reset();
    setConfirming(false);
    setPlan((p) => ({ ...p, ...changes }));
  };
  // A festival chosen (or its year changed) sets the date; the date stays editable afterwards.
  useEffect(() => {
    if (holiday && plan.kind === 'holiday' && !plan.date) setPlan((p) => ({ ...p, date: holiday.date }));
  }, [holiday, plan.kind, plan.date]);

  const dateOver = plan.date !== '' && plan.date < today;
  const ready = plan.date && !dateOver && plan.time && plan.templateKey && plan.channels.length > 0 && (plan.audience === 'filter' || plan.segmentId) && (plan.kind === 'promo' || plan.holidayKey)
    && holdoutValid(plan.holdoutPercent);
  const busy = estimate.isPending || schedule.isPending || save.isPending;
  const figures = estimate.data;
  const money = (value: number, currency: string) => new Intl.NumberFormat(language, { style: 'currency', currency }).format(value);
  const years = [thisYear, thisYear + 1, thisYear + 2];

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
            <>
              <label>{t('campaigns.year')}
                <select name="year" value={String(plan.year)} onChange={(e) => update({ year: e.target.value === 'next' ? 'next' : Number(e.target.value), holidayKey: '', date: '' })}>
                  <option value="next">{t('campaigns.nextOccurrence')}</option>
                  {years.map((y) => <option key={y} value={y}>{y}</option>)}
                </select>
              </label>
              <label>{t('campaigns.holiday')}
                <select name="holiday" value={plan.holidayKey} onChange={(e) => {
                  const chosen = offered.find((h) => h.key === e.target.value);
                  update({ holidayKey: e.target.value, date: chosen?.date ?? '' });
                }}>
                  <option value="">{t('campaigns.pickHoliday')}</option>
                  {offered.map((h) => <option key={h.key} value={h.key}>{holidayName(h, language)} · {h.date}</option>)}
                </select>
              </label>
            </>
          )}
          <label>{t('common.date')}<input type="date" name="date" min={today} value={plan.date} onChange={(e) => update({ date: e.target.value })} /></label>
          <label>{t('campaigns.localTime')}<input type="time" name="time" value={plan.time} onChange={(e) => update({ time: e.target.value })} /></label>
        </div>
        {dateOver && <div className="banner banner-error" role="alert" data-testid="date-over">{t('campaigns.dateOver', { date: plan.date })}</div>}
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
        <HoldoutField value={plan.holdoutPercent} onChange={(holdoutPercent) => update({ holdoutPercent })} />
        <ErrorBanner error={estimate.error ?? save.error} />
        <p>
          <button className="primary" disabled={!ready || busy} onClick={() => estimate.mutate(body)}>4 · {t('campaigns.estimate')}</button>{' '}
          <button disabled={!ready || busy} onClick={() => save.mutate(undefined)} data-testid="save-draft">{t('campaigns.saveDraft')}</button>
          {save.isSuccess && <span className="muted" role="status"> {t('campaigns.draftSaved')}</span>}
        </p>
      </section>
      {figures && (
        <section className="card estimate" data-testid="estimate">
          <h2>{t('campaigns.estimate')}</h2>
          <dl className="fields">
            <div><dt>{t('campaigns.recipients')}</dt><dd data-testid="estimate-recipients">{figures.recipients}</dd></div>
            {(figures.heldOut > 0 || plan.holdoutPercent > 0) && (
              <div><dt>{t('campaigns.heldOut')}</dt><dd data-testid="estimate-held-out">{figures.heldOut} <span className="muted small">({plan.holdoutPercent}%)</span></dd></div>
            )}
            <div><dt>{t('campaigns.byChannel')}</dt><dd data-testid="estimate-by-channel">{term('channel', 'sms')} {figures.byChannel.sms} / {term('channel', 'email')} {figures.byChannel.email}</dd></div>
            <div><dt>{t('campaigns.smsSegments')}</dt><dd data-testid="estimate-segments">{figures.smsSegments}</dd></div>
            <div><dt>{t('campaigns.cost')}</dt><dd data-testid="estimate-cost">{money(figures.estimatedCost, figures.currency)}</dd></div>
            {figures.excluded && (
              <div><dt>{t('campaigns.excluded')}</dt>
                <dd data-testid="estimate-excluded">
                  {(Object.entries(figures.excluded) as [keyof NonNullable<Estimate['excluded']>, number][])
                    .filter(([reason]) => reason !== 'holdout') // on its own line above
                    .map(([reason, count]) => <span key={reason} className="excluded" data-reason={reason}>{t(`campaigns.excluded.${reason}`)} {count}</span>)}
                </dd>
              </div>
            )}
            {plan.couponBatchId && <div><dt>{t('coupons.needed')}</dt><dd data-testid="estimate-coupons">{figures.couponsNeeded} / {t('coupons.available')} {figures.couponsAvailable ?? '—'}</dd></div>}
          </dl>
          <h3>{t('campaigns.testSend')}</h3>
          <TestSendForm ensureCampaign={saveDraft} disabled={busy} />
          <h3>{t('campaigns.previewFor')}</h3>
          <RecipientPreview ensureCampaign={saveDraft} />
          <ErrorBanner error={schedule.error} />
          {!confirming ? (
            <button className="primary" disabled={busy} onClick={() => setConfirming(true)}>5 · {t('campaigns.schedule')}</button>
          ) : (
            <div className="card dialog" role="dialog" aria-label={t('campaigns.confirmTitle')} data-testid="confirm-schedule">
              <h3>{t('campaigns.confirmTitle')}</h3>
              <p>{t('campaigns.confirmBody', { count: figures.recipients, cost: money(figures.estimatedCost, figures.currency) })}</p>
              <p>{t('campaigns.firstSend', { when: t('campaigns.firstSendLocal', { date: plan.date, time: plan.time }) })}</p>
              <button className="primary" disabled={busy} onClick={() => schedule.mutate(undefined, { onSuccess: (campaign) => navigate(`/campaigns/${campaign.id}`) })}>{t('campaigns.confirm')}</button>{' '}
              <button disabled={busy} onClick={() => setConfirming(false)}>{t('campaigns.back')}</button>
            </div>
          )}
        </section>
      )}
    </>
  );
}
