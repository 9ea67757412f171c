import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { SurveyAutomation } from '../api/feedback.types';
import { useApiMutation, useApiQuery } from '../api/queries';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { ChannelPicker } from './channel-picker';
import { ErrorBanner } from './error-banner';
import { Loading } from './loading';

const PATH = '/v1/automations/satisfaction-survey';

/** The satisfaction survey on the automations page: when it goes out, on which channels. */
export function SurveySettingsCard() {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const editable = canWrite('automations');
  const { data, error, isPending } = useApiQuery<SurveyAutomation>(PATH);
  const [form, setForm] = useState<SurveyAutomation | null>(null);
  useEffect(() => setForm(data ?? null), [data]);
  const save = useApiMutation(({ key: _key, ...body }: SurveyAutomation) => api.put<SurveyAutomation>(PATH, body), [PATH]);
  const patch = (changes: Partial<SurveyAutomation>) => {
    save.reset();
    setForm((current) => (current ? { ...current, ...changes } : current));
  };
  return (
    <section className="card form" data-testid="automation-satisfaction-survey">
      <h2>{t('survey.title')}</h2>
      <p className="muted">{t('survey.hint')}</p>
      <ErrorBanner error={error ?? save.error} />
      {isPending || !form ? <Loading /> : (
        <>
          <label className="inline"><input type="checkbox" name="enabled" checked={form.enabled} disabled={!editable} onChange={(e) => patch({ enabled: e.target.checked })} />{t('common.enabled')}</label>
          <div>{t('common.channels')}: <ChannelPicker value={form.channels} disabled={!editable} onChange={(channels) => patch({ channels })} /></div>
          <div className="row">
            <label>{t('survey.after')}
              <select name="after" value={form.after} disabled={!editable} onChange={(e) => patch({ after: e.target.value as SurveyAutomation['after'] })}>
                <option value="signed">{t('survey.after.signed')}</option>
                <option value="first-order-follow-up">{t('survey.after.first-order-follow-up')}</option>
              </select>
            </label>
            <label>{t('survey.delayDays')}<input type="number" name="delayDays" min={0} max={90} value={form.delayDays} readOnly={!editable} onChange={(e) => patch({ delayDays: Number(e.target.value) })} /></label>
            <label>{t('automations.template')}<input name="templateKey" value={form.templateKey} readOnly={!editable} onChange={(e) => patch({ templateKey: e.target.value })} /></label>
            <label>{t('automations.sendAt')}<input type="time" name="sendAt" value={form.sendAt} readOnly={!editable} onChange={(e) => patch({ sendAt: e.target.value })} /></label>
          </div>
          {save.isSuccess && <p className="ok" role="status">{t('common.saved')}</p>}
          {editable && <button className="primary" disabled={save.isPending} onClick={() => save.mutate(form)}>{t('common.save')}</button>}
        </>
      )}
    </section>
  );
}
