import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { ShopSettings } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { useI18n } from '../i18n/i18n';

const PROVIDERS = ['console', 'twilio', 'aliyun', 'tencent'] as const;

interface Form {
  name: string;
  phone: string;
  smsSignature: string;
  quietOff: boolean;
  quietFrom: string;
  quietTo: string;
  capMax: string;
  capDays: string;
  prices: Record<string, string>;
  emailPrice: string;
  currency: string;
}

function formOf(settings: ShopSettings): Form {
  const [from, to] = settings.quietHours === 'off' ? ['21:00', '09:00'] : settings.quietHours.split('-');
  return {
    ...settings.brand,
    quietOff: settings.quietHours === 'off', quietFrom: from, quietTo: to,
    capMax: String(settings.frequencyCap.max), capDays: String(settings.frequencyCap.days),
    prices: Object.fromEntries(PROVIDERS.map((p) => [p, String(settings.smsPricePerSegment[p] ?? '')])),
    emailPrice: String(settings.emailPrice), currency: settings.currency,
  };
}

/**
 * A number field as typed: empty means "the default" (null); a number goes as one; anything else goes
 * as typed, so the API's 422 names the field (NaN would travel as null and silently reset it).
 */
const numberOrNull = (value: string): number | string | null => {
  if (value.trim() === '') return null;
  const number = Number(value);
  return Number.isNaN(number) ? value : number;
};

/** The shop's settings (admins edit; everyone else reads): brand, quiet hours, cap, prices. */
export function SettingsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const admin = me?.role === 'admin';
  const settings = useApiQuery<ShopSettings>('/v1/settings');
  const [form, setForm] = useState<Form | null>(null);
  useEffect(() => {
    if (settings.data && !form) setForm(formOf(settings.data));
  }, [settings.data, form]);
  // A value left at the environment's default is sent as null (not stored), so a later change of the default still shows through.
  const save = useApiMutation((f: Form) => {
    const d = settings.data!.defaults;
    const unlessDefault = <T,>(value: T | null, fallback: unknown): T | null => (value === fallback ? null : value);
    const quietHours = f.quietOff ? 'off' : `${f.quietFrom}-${f.quietTo}`;
    return api.put<ShopSettings>('/v1/settings', {
      brand: { name: f.name, phone: f.phone, smsSignature: f.smsSignature },
      quietHours: unlessDefault(quietHours, d.quietHours),
      frequencyCap: { max: unlessDefault(numberOrNull(f.capMax), d.frequencyCap.max), days: unlessDefault(numberOrNull(f.capDays), d.frequencyCap.days) },
      smsPricePerSegment: Object.fromEntries(PROVIDERS.map((p) => [p, unlessDefault(numberOrNull(f.prices[p] ?? ''), d.smsPricePerSegment[p])])),
      emailPrice: unlessDefault(numberOrNull(f.emailPrice), d.emailPrice),
      currency: unlessDefault(f.currency.trim().toUpperCase() || null, d.currency),
    });
  }, ['/v1/settings']);
  if (!form || !settings.data) return settings.error ? <ErrorBanner error={settings.error} /> : <Loading />;
  const defaults = settings.data.defaults;
  const set = (changes: Partial<Form>) => {
    save.reset();
    setForm({ ...form, ...changes });
  };
  const field = (label: string, name: keyof Form, hint?: string) => (
    <label>{label}
      <input name={name} value={form[name] as string} disabled={!admin} onChange={(e) => set({ [name]: e.target.value } as Partial<Form>)} />
      {hint && <span className="muted small">{hint}</span>}
    </label>
  );
  return (
    <>
      <h1>{t('settings.title')}</h1>
      {!admin && <div className="banner" role="note">{t('settings.adminOnly')}</div>}
      <form className="card form" data-testid="settings-form" onSubmit={(e) => { e.preventDefault(); save.mutate(form); }}>
        <h2>{t('settings.brand')}</h2>
        <div className="row">
          {field(t('settings.brandName'), 'name')}
          {field(t('settings.brandPhone'), 'phone')}
          {field(t('settings.smsSignature'), 'smsSignature', t('settings.smsSignatureHint'))}
        </div>
        <h2>{t('settings.sending')}</h2>
        <div className="row">
          <fieldset>
            <legend>{t('settings.quietHours')}</legend>
            <label className="inline"><input type="checkbox" name="quietOff" checked={form.quietOff} disabled={!admin} onChange={(e) => set({ quietOff: e.target.checked })} />{t('settings.quietOff')}</label>
            {!form.quietOff && (
              <>
                <label className="inline">{t('settings.quietFrom')}<input type="time" name="quietFrom" value={form.quietFrom} disabled={!admin} onChange={(e) => set({ quietFrom: e.target.value })} /></label>
                <label className="inline">{t('settings.quietTo')}<input type="time" name="quietTo" value={form.quietTo} disabled={!admin} onChange={(e) => set({ quietTo: e.target.value })} /></label>
              </>
            )}
          </fieldset>
          <fieldset>
            <legend>{t('settings.frequencyCap')}</legend>
            {field(t('settings.capMax'), 'capMax')}
            {field(t('settings.capDays'), 'capDays')}
          </fieldset>
        </div>
        <h2>{t('settings.prices')}</h2>
        <div className="row">
          {PROVIDERS.map((p) => (
            <label key={p}>{t('settings.smsPrice', { provider: t(`settings.provider.${p}`) })}
              <input name={`price-${p}`} inputMode="decimal" value={form.prices[p] ?? ''} disabled={!admin}
                onChange={(e) => set({ prices: { ...form.prices, [p]: e.target.value } })} />
              <span className="muted small">{t('settings.default', { value: defaults.smsPricePerSegment[p] ?? '—' })}</span>
            </label>
          ))}
          {field(t('settings.emailPrice'), 'emailPrice')}
          {field(t('settings.currency'), 'currency')}
        </div>
        <ErrorBanner error={save.error} />
        {admin && (
          <p>
            <button className="primary" type="submit" disabled={save.isPending}>{t('common.save')}</button>
            {save.isSuccess && <span className="muted" role="status" data-testid="settings-saved"> {t('common.saved')}</span>}
          </p>
        )}
      </form>
    </>
  );
}
