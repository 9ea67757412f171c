import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';

/** Shows an API failure in words people read: a 403 says the role may not, field errors name the field. */
export function ErrorBanner({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 403) {
    return <div className="banner banner-error" role="alert">{t('error.forbidden')}</div>;
  }
  const message = error instanceof Error ? error.message : String(error);
  const details = error instanceof ApiError ? error.details : [];
  return (
    <div className="banner banner-error" role="alert">
      {t('error.generic')}: {message}
      {details.length > 0 && (
        <ul>{details.map((detail, i) => <li key={i}><code>{detail.field}</code> {detail.message}</li>)}</ul>
      )}
    </div>
  );
}
