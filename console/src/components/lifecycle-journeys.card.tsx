import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { JOURNEY_CLASSES, type LifecycleCounts, type LifecycleJourneys, type LifecycleRule } from '../api/lifecycle.types';
import { useApiMutation, useApiQuery } from '../api/queries';
import { LIFECYCLES } from '../api/types';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { sameValue, useUnsavedGuard } from '../lib/unsaved-guard';
import { TemplateKeyInput } from './template-key-input';
import { ChannelPicker } from './channel-picker';
import { CouponPicker } from './coupon-picker';
import { ErrorBanner } from './error-banner';
import { HoldoutField, holdoutValid } from './holdout-field';
import { Loading } from './loading';

const PATH = '/v1/automations/lifecycle';

/** How many contacts are in each class now: what a journey on that class is about to reach. */
function ClassCounts() {
  const { t, term } = useI18n();
  const { data } = useApiQuery<LifecycleCounts>('/v1/contacts/lifecycle-counts');
  return (
    <table className="compact" data-testid="lifecycle-counts">
      <caption>{t('journeys.counts')}</caption>
      <tbody>
        <tr>{LIFECYCLES.map((name) => <th key={name}>{term('lifecycle', name)}</th>)}</tr>
        <tr>{LIFECYCLES.map((name) => <td key={name} data-class={name}>{data ? data.counts[name].toLocaleString() : '…'}</td>)}</tr>
      </tbody>
    </table>
  );
}

function RuleRow({ rule, editable, onChange }: { rule: LifecycleRule; editable: boolean; onChange(next: LifecycleRule): void }) {
  const { t, term } = useI18n();
  const patch = (changes: Partial<LifecycleRule>) => onChange({ ...rule, ...changes });
  const title = t(`journeys.rule.${rule.key}` as never);
  return (
    <fieldset data-testid={`journey-${rule.key}`}>
      <legend>{title === `journeys.rule.${rule.key}` ? rule.key : title}</legend>
      <label className="inline"><input type="checkbox" name="enabled" checked={rule.enabled} disabled={!editable} onChange={(e) => patch({ enabled: e.target.checked })} />{t('common.enabled')}</label>
      <div>{t('common.channels')}: <ChannelPicker value={rule.channels} disabled={!editable} onChange={(channels) => patch({ channels })} /></div>
      <div className="row">
        <label>{t('journeys.class')}
          <select name="class" value={rule.class} disabled={!editable} onChange={(e) => patch({ class: e.target.value as LifecycleRule['class'] })}>
            {JOURNEY_CLASSES.map((name) => <option key={name} value={name}>{term('lifecycle', name)}</option>)}
          </select>
        </label>
        <label>{t('journeys.afterDays')}<input type="number" name="afterDays" min={0} value={rule.afterDays} readOnly={!editable} onChange={(e) => patch({ afterDays: Number(e.target.value) })} /></label>
        <label>{t('automations.template')}<TemplateKeyInput value={rule.templateKey} readOnly={!editable} onChange={(templateKey) => patch({ templateKey })} /></label>
        <label>{t('automations.sendAt')}<input type="time" name="sendAt" value={rule.sendAt} readOnly={!editable} onChange={(e) => patch({ sendAt: e.target.value })} /></label>
        <CouponPicker value={rule.couponBatchId} disabled={!editable} onChange={(couponBatchId) => patch({ couponBatchId })} />
      </div>
      <HoldoutField name={`holdoutPercent-${rule.key}`} value={rule.holdoutPercent} disabled={!editable} onChange={(holdoutPercent) => patch({ holdoutPercent })} />
    </fieldset>
  );
}

/** The lifecycle journeys on the automations page: the rules, and the per-class counts they act on. */
export function LifecycleJourneysCard() {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const editable = canWrite('automations');
  const { data, error, isPending } = useApiQuery<LifecycleJourneys>(PATH);
  const [rules, setRules] = useState<LifecycleRule[]>([]);
  useEffect(() => setRules(data?.rules ?? []), [data]);
  const save = useApiMutation((body: { rules: LifecycleRule[] }) => api.put<LifecycleJourneys>(PATH, body), [PATH]);
  useUnsavedGuard(editable && Boolean(data) && !sameValue(rules, data?.rules) && !(save.isSuccess && sameValue(rules, save.data?.rules)));
  const change = (index: number, next: LifecycleRule) => {
    save.reset();
    setRules((list) => list.map((rule, i) => (i === index ? next : rule)));
  };
  return (
    <section className="card form" data-testid="automation-lifecycle">
      <h2>{t('journeys.title')}</h2>
      <p className="muted">{t('journeys.hint')}</p>
      <ClassCounts />
      <ErrorBanner error={error ?? save.error} />
      {isPending ? <Loading /> : rules.map((rule, i) => <RuleRow key={rule.key} rule={rule} editable={editable} onChange={(next) => change(i, next)} />)}
      {save.isSuccess && <p className="ok" role="status">{t('common.saved')}</p>}
      {editable && <button className="primary" disabled={save.isPending || !rules.every((rule) => holdoutValid(rule.holdoutPercent))} onClick={() => save.mutate({ rules })}>{t('common.save')}</button>}
    </section>
  );
}
