import { useEffect, useState } from 'react';
import { CouponPicker } from '../components/coupon-picker';
import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { BirthdayAutomation, FestivalsAutomation, FirstOrderAutomation, OrderNoticesAutomation } from '../api/types';
import { useSession } from '../auth/session';
import { AudiencePicker } from '../components/audience-picker';
import { ChannelPicker } from '../components/channel-picker';
import { ErrorBanner } from '../components/error-banner';
import { FestivalsForm } from '../components/festivals.form';
import { HoldoutField, holdoutValid } from '../components/holdout-field';
import { LifecycleJourneysCard } from '../components/lifecycle-journeys.card';
import { SurveySettingsCard } from '../components/survey-settings.card';
import { Loading } from '../components/loading';
import { OrderNoticesForm } from '../components/order-notices.form';
import { TemplateKeyInput } from '../components/template-key-input';
import { useI18n } from '../i18n/i18n';
import { sameValue, useUnsavedGuard } from '../lib/unsaved-guard';

type Automation = BirthdayAutomation | FirstOrderAutomation;
const PATHS: Record<Automation['key'], string> = { birthday: '/v1/automations/birthday', 'first-order-follow-up': '/v1/automations/first-order-follow-up' };

function AutomationForm({ initial }: { initial: Automation }) {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const editable = canWrite('automations');
  const [form, setForm] = useState<Automation>(initial);
  useEffect(() => setForm(initial), [initial]);
  const save = useApiMutation(({ key, ...body }: Automation) => api.put<Automation>(PATHS[key], body), ['/v1/automations']);
  const dirty = editable && !sameValue(form, initial) && !(save.isSuccess && sameValue(form, save.data));
  useUnsavedGuard(dirty);
  const patch = (changes: Partial<Automation>) => {
    save.reset();
    setForm((f) => ({ ...f, ...changes }) as Automation);
  };
  return (
    <section className="card form" data-testid={`automation-${form.key}`}>
      <h2>{t(form.key === 'birthday' ? 'automations.birthday' : 'automations.firstOrder')}</h2>
      <label className="inline"><input type="checkbox" name="enabled" checked={form.enabled} disabled={!editable} onChange={(e) => patch({ enabled: e.target.checked })} />{t('common.enabled')}</label>
      <div>{t('common.channels')}: <ChannelPicker value={form.channels} disabled={!editable} onChange={(channels) => patch({ channels })} /></div>
      <div className="row">
        <label>{t('automations.template')}<TemplateKeyInput value={form.templateKey} readOnly={!editable} onChange={(templateKey) => patch({ templateKey })} /></label>
        <label>{t('automations.sendAt')}<input type="time" name="sendAt" value={form.sendAt} readOnly={!editable} onChange={(e) => patch({ sendAt: e.target.value })} /></label>
        {form.key === 'first-order-follow-up' && (
          <>
            <label>{t('automations.delayDays')}<input type="number" name="delayDays" min={0} value={form.delayDays} readOnly={!editable} onChange={(e) => patch({ delayDays: Number(e.target.value) })} /></label>
            <label>{t('automations.windowEndDays')}<input type="number" name="windowEndDays" min={0} value={form.windowEndDays} readOnly={!editable} onChange={(e) => patch({ windowEndDays: Number(e.target.value) })} /></label>
            <label>{t('automations.trigger')}
              <select name="trigger" value={form.trigger} disabled={!editable} onChange={(e) => patch({ trigger: e.target.value as 'placed' | 'paid' })}>
                <option value="placed">{t('automations.trigger.placed')}</option>
                <option value="paid">{t('automations.trigger.paid')}</option>
              </select>
            </label>
          </>
        )}
      </div>
      {form.key === 'birthday' && <AudiencePicker value={form} disabled={!editable} onChange={(audience) => patch(audience)} />}
      <CouponPicker value={form.couponBatchId ?? null} disabled={!editable} onChange={(couponBatchId) => patch({ couponBatchId })} />
      <HoldoutField value={form.holdoutPercent} disabled={!editable} onChange={(holdoutPercent) => patch({ holdoutPercent })} />
      <ErrorBanner error={save.error} />
      {save.isSuccess && <p className="ok" role="status">{t('common.saved')}</p>}
      {dirty && <p className="unsaved small" data-testid="unsaved">● {t('unsaved.badge')}</p>}
      {editable && <button className="primary" disabled={save.isPending || !holdoutValid(form.holdoutPercent)} onClick={() => save.mutate(form, { onSuccess: setForm })}>{t('common.save')}</button>}
    </section>
  );
}

export function AutomationsPage() {
  const { t } = useI18n();
  const { data, error, isPending } = useApiQuery<{ items: (Automation | OrderNoticesAutomation | FestivalsAutomation)[] }>('/v1/automations');
  return (
    <>
      <h1>{t('automations.title')}</h1>
      <ErrorBanner error={error} />
      {isPending ? <Loading /> : <div className="grid two">
        {data?.items.map((a) => {
          if (a.key === 'order-notices') return <OrderNoticesForm key={a.key} initial={a} />;
          if (a.key === 'festivals') return <FestivalsForm key={a.key} initial={a} />;
          return <AutomationForm key={a.key} initial={a} />;
        })}
      </div>}
      <LifecycleJourneysCard />
      <SurveySettingsCard />
    </>
  );
}
