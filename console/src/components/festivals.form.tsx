import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { FestivalsAutomation, Holiday } from '../api/types';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { sameValue, useUnsavedGuard } from '../lib/unsaved-guard';
import { AudienceCount, AudiencePicker } from './audience-picker';
import { ChannelPicker } from './channel-picker';
import { CouponPicker } from './coupon-picker';
import { ErrorBanner } from './error-banner';
import { HoldoutField, holdoutValid } from './holdout-field';
import { YearCalendar, type DayMark } from './year-calendar';

/**
 * The standing festival greetings: on/off, channels, send time, who (everyone, a segment or a
 * filter, with how many that is now) and the festivals, each with this year's date (only greeting
 * days: qingming is not offered).
 */
export function FestivalsForm({ initial }: { initial: FestivalsAutomation }) {
  const { t, language } = useI18n();
  const { canWrite } = useSession();
  const editable = canWrite('automations');
  const [form, setForm] = useState(initial);
  useEffect(() => setForm(initial), [initial]);
  const holidays = useApiQuery<{ items: Holiday[] }>('/v1/holidays');
  const save = useApiMutation(({ key: _key, ...body }: FestivalsAutomation) => api.put<FestivalsAutomation>('/v1/automations/festivals', body), ['/v1/automations']);
  useUnsavedGuard(editable && !sameValue(form, initial) && !(save.isSuccess && sameValue(form, save.data)));
  const patch = (changes: Partial<FestivalsAutomation>) => {
    save.reset();
    setForm((f) => ({ ...f, ...changes }));
  };
  const toggle = (key: string, on: boolean) =>
    patch({ holidays: on ? [...form.holidays, key] : form.holidays.filter((k) => k !== key) });
  // This year's greeting days on the calendar: chosen ones stand out, and a click toggles the festival.
  const greetingDays = holidays.data?.items.filter((h) => h.greeting) ?? [];
  const marks = new Map<string, DayMark[]>();
  for (const h of greetingDays) marks.set(h.date, [...(marks.get(h.date) ?? []), { kind: form.holidays.includes(h.key) ? 'chosen' : 'holiday', label: h.name }]);
  const pick = (date: string) => {
    for (const h of greetingDays.filter((d) => d.date === date)) if (editable) toggle(h.key, !form.holidays.includes(h.key));
  };
  const year = greetingDays[0]?.date.slice(0, 4);
  return (
    <section className="card form span-all" data-testid="automation-festivals">
      <h2>{t('automations.festivals')}</h2>
      <p className="muted">{t('automations.festivals.hint')}</p>
      <label className="inline"><input type="checkbox" name="enabled" checked={form.enabled} disabled={!editable} onChange={(e) => patch({ enabled: e.target.checked })} />{t('common.enabled')}</label>
      <div>{t('common.channels')}: <ChannelPicker value={form.channels} disabled={!editable} onChange={(channels) => patch({ channels })} /></div>
      <label>{t('automations.sendAt')}<input type="time" name="sendAt" value={form.sendAt} readOnly={!editable} onChange={(e) => patch({ sendAt: e.target.value })} /></label>
      <CouponPicker value={form.couponBatchId ?? null} disabled={!editable} onChange={(couponBatchId) => patch({ couponBatchId })} />
      <HoldoutField value={form.holdoutPercent} disabled={!editable} onChange={(holdoutPercent) => patch({ holdoutPercent })} />
      <AudiencePicker name="festival-audience" value={{ segmentId: form.segmentId, filter: form.filter }} disabled={!editable} onChange={(audience) => patch(audience)} />
      <AudienceCount value={{ segmentId: form.segmentId, filter: form.filter }} />
      {year && <YearCalendar year={Number(year)} marks={marks} language={language} onPick={pick} />}
      <ul className="plain">
        {holidays.data?.items.filter((h) => h.greeting).map((h) => (
          <li key={`${h.key}-${h.date}`}>
            <label className="inline">
              <input type="checkbox" name={`holiday-${h.key}`} checked={form.holidays.includes(h.key)} disabled={!editable} onChange={(e) => toggle(h.key, e.target.checked)} />
              {h.name} <span className="muted">{h.date}</span>
            </label>
          </li>
        ))}
      </ul>
      <ErrorBanner error={save.error ?? holidays.error} />
      {save.isSuccess && <p className="ok" role="status">{t('common.saved')}</p>}
      {editable && <button className="primary" disabled={save.isPending || !holdoutValid(form.holdoutPercent)} onClick={() => save.mutate(form, { onSuccess: setForm })}>{t('common.save')}</button>}
    </section>
  );
}
