import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';

export function SignInPage() {
  const { t, language, setLanguage } = useI18n();
  const { signIn } = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 401 ? new Error(t('signIn.invalid')) : failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="sign-in">
      <form className="card" onSubmit={submit}>
        <h1>{t('app.name')}</h1>
        <h2>{t('signIn.title')}</h2>
        <label>
          {t('signIn.key')}
          <input name="apiKey" type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} required />
        </label>
        <ErrorBanner error={error} />
        <button className="primary" type="submit" disabled={busy || !key.trim()}>{t('signIn.submit')}</button>
        <p className="muted small">{t('signIn.hint')}</p>
        <button type="button" className="link" onClick={() => setLanguage(language === 'zh-CN' ? 'en' : 'zh-CN')}>{t('app.language')}</button>
      </form>
    </div>
  );
}
