import { useEffect, useState } from 'react';
import { api } from '../api/client';
import type { BirthdayAutomation, Channel, FirstOrderAutomation } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner, Loading } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { useLoad } from '../lib/use-load';

type Automation = BirthdayAutomation | FirstOrderAutomation;
const PATHS: Record<Automation['key'], string> = { birthday: '/v1/automations/birthday', 'first-order-follow-up': '/v1/automations/first-order-follow-up' };

function ChannelPicker({ value, onChange, disabled }: { value: Channel[]; onChange(next: Channel[]): void; disabled: boolean }) {
  return (
    <span className="checks">
      {(['sms', 'email'] as const).map((channel) => (
        <label key={channel} className="inline">
          <input type="checkbox" name={`channel-${channel}`} disabled={disabled} checked={value.includes(channel)}
            onChange={(e) => onChange(e.target.checked ? [...value, channel] : value.filter((c) => c !== channel))} />
          {channel}
        </label>
      ))}
    </span>
  );
}

export { ChannelPicker };

function AutomationForm({ initial }: { initial: Automation }) {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const editable = canWrite('automations');
  const [form, setForm] = useState<Automation>(initial);
  const [state, setState] = useState<{ error?: unknown; saved?: boolean }>({});
  useEffect(() => setForm(initial), [initial]);
  const patch = (changes: Partial<Automation>) => setForm((f) => ({ ...f, ...changes }) as Automation);
  const save = async () => {
    setState({});
    const { key, ...body } = form;
    try {
      setForm(await api.put<Automation>(PATHS[key], body));
      setState({ saved: true });
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <section className="card form" data-testid={`automation-${form.key}`}>
      <h2>{t(form.key === 'birthday' ? 'automations.birthday' : 'automations.firstOrder')}</h2>
      <label className="inline"><input type="checkbox" checked={form.enabled} disabled={!editable} onChange={(e) => patch({ enabled: e.target.checked })} />{t('common.enabled')}</label>
      <div>{t('common.channels')}: <ChannelPicker value={form.channels} disabled={!editable} onChange={(channels) => patch({ channels })} /></div>
      <div className="row">
        <label>{t('automations.template')}<input value={form.templateKey} readOnly={!editable} onChange={(e) => patch({ templateKey: e.target.value })} /></label>
        <label>{t('automations.sendAt')}<input type="time" value={form.sendAt} readOnly={!editable} onChange={(e) => patch({ sendAt: e.target.value })} /></label>
        {form.key === 'first-order-follow-up' && (
          <>
            <label>{t('automations.delayDays')}<input type="number" min={0} value={form.delayDays} readOnly={!editable} onChange={(e) => patch({ delayDays: Number(e.target.value) })} /></label>
            <label>{t('automations.windowEndDays')}<input type="number" min={0} value={form.windowEndDays} readOnly={!editable} onChange={(e) => patch({ windowEndDays: Number(e.target.value) })} /></label>
          </>
        )}
      </div>
      <ErrorBanner error={state.error} />
      {state.saved && <p className="ok">{t('common.saved')}</p>}
      {editable && <button className="primary" onClick={save}>{t('common.save')}</button>}
    </section>
  );
}

export function AutomationsPage() {
  const { t } = useI18n();
  const { data, error, loading } = useLoad(() => api.get<{ items: Automation[] }>('/v1/automations'), []);
  return (
    <>
      <h1>{t('automations.title')}</h1>
      <ErrorBanner error={error} />
      {loading && !data ? <Loading /> : <div className="grid two">{data?.items.map((a) => <AutomationForm key={a.key} initial={a} />)}</div>}
    </>
  );
}
