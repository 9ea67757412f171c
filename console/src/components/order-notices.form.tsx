import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useApiMutation } from '../api/queries';
import { ORDER_NOTICES, type OrderNoticeName, type OrderNoticesAutomation } from '../api/types';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { sameValue, useUnsavedGuard } from '../lib/unsaved-guard';
import { ChannelPicker } from './channel-picker';
import { ErrorBanner } from './error-banner';
import { TemplateKeyInput } from './template-key-input';

/**
 * The order notices (催付, 发货, 到货, 签收) and the trip reminder: one switch, channels and template
 * per notice, plus the 催付 delay and the trip reminder's day and hour; saved together in one PUT.
 */
export function OrderNoticesForm({ initial }: { initial: OrderNoticesAutomation }) {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const editable = canWrite('automations');
  const [form, setForm] = useState<OrderNoticesAutomation>(initial);
  useEffect(() => setForm(initial), [initial]);
  const save = useApiMutation(({ key: _key, ...body }: OrderNoticesAutomation) => api.put<OrderNoticesAutomation>('/v1/automations/order-notices', body), ['/v1/automations']);
  useUnsavedGuard(editable && !sameValue(form, initial) && !(save.isSuccess && sameValue(form, save.data)));
  const patch = <N extends OrderNoticeName>(notice: N, changes: Partial<OrderNoticesAutomation[N]>) => {
    save.reset();
    setForm((f) => ({ ...f, [notice]: { ...f[notice], ...changes } }));
  };
  const number = (value: string) => (value === '' ? 0 : Number(value));

  return (
    <section className="card form" data-testid="automation-order-notices">
      <h2>{t('automations.orderNotices')}</h2>
      {ORDER_NOTICES.map((notice) => (
        <fieldset key={notice} data-testid={`order-notice-${notice}`}>
          <legend>{t(`automations.notice.${notice}`)}</legend>
          <label className="inline"><input type="checkbox" name="enabled" checked={form[notice].enabled} disabled={!editable} onChange={(e) => patch(notice, { enabled: e.target.checked })} />{t('common.enabled')}</label>
          <div>{t('common.channels')}: <ChannelPicker value={form[notice].channels} disabled={!editable} onChange={(channels) => patch(notice, { channels })} /></div>
          <div className="row">
            <label>{t('automations.template')}<TemplateKeyInput value={form[notice].templateKey} readOnly={!editable} onChange={(templateKey) => patch(notice, { templateKey })} /></label>
            {notice === 'paymentReminder' && (
              <label>{t('automations.afterMinutes')}<input type="number" name="afterMinutes" min={1} value={form.paymentReminder.afterMinutes} readOnly={!editable} onChange={(e) => patch('paymentReminder', { afterMinutes: number(e.target.value) })} /></label>
            )}
            {notice === 'tripReminder' && (
              <>
                <label>{t('automations.daysBefore')}<input type="number" name="daysBefore" min={0} value={form.tripReminder.daysBefore} readOnly={!editable} onChange={(e) => patch('tripReminder', { daysBefore: number(e.target.value) })} /></label>
                <label>{t('automations.sendAt')}<input type="time" name="sendAt" value={form.tripReminder.sendAt} readOnly={!editable} onChange={(e) => patch('tripReminder', { sendAt: e.target.value })} /></label>
              </>
            )}
          </div>
        </fieldset>
      ))}
      <ErrorBanner error={save.error} />
      {save.isSuccess && <p className="ok" role="status">{t('common.saved')}</p>}
      {editable && <button className="primary" disabled={save.isPending} onClick={() => save.mutate(form, { onSuccess: setForm })}>{t('common.save')}</button>}
    </section>
  );
}
