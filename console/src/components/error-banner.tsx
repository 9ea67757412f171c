import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';

/**
 * Shows an API failure in words people read: the error code in the console's language (`errors.<code>`),
 * falling back to the server's message; field errors name the field (in words where known) and keep
 * the server's detail, which says exactly what is wrong.
 */
export function ErrorBanner({ error }: { error: unknown }) {
  const { t, term, knows } = useI18n();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 403) {
    return <div className="banner banner-error" role="alert" data-code="forbidden">{t('error.forbidden')}</div>;
  }
  const code = error instanceof ApiError ? error.code : undefined;
  const server = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  const known = code !== undefined && knows('errors', code);
  const field = (name: string) => (name in FIELD_KEYS ? t(FIELD_KEYS[name]) : name);
  return (
    <div className="banner banner-error" role="alert" data-code={code}>
      {known ? term('errors', code) : `${t('error.generic')}: ${server}`}
      {details.length > 0 ? (
        <ul>{details.map((detail, i) => <li key={i}><code>{field(detail.field)}</code> {knows('detail', detail.message) ? term('detail', detail.message) : detail.message}</li>)}</ul>
      ) : known && <div className="small muted">{server}</div>}
    </div>
  );
}

const FIELD_KEYS: Record<string, DictionaryKey> = {
  templateKey: 'field.templateKey', channels: 'field.channels', segmentId: 'field.segmentId', 'sendLocal.date': 'field.sendLocal.date',
  sendAt: 'field.sendAt', holidayKey: 'field.holidayKey', holidays: 'field.holidays', name: 'field.name', body: 'field.body',
  subject: 'field.subject', html: 'field.html', locale: 'field.locale', status: 'field.status',
};
