import { useState } from 'react';
import { api } from '../api/client';
import type { Page, Template } from '../api/types';
import { ErrorBanner } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';

/** Every version of the template; restoring one makes it current again. */
export function TemplateVersionsPanel({ id, canRestore }: { id: string; canRestore: boolean }) {
  const { t, formatInstant } = useI18n();
  const versions = useLoad(() => api.get<Page<Template> | Template[]>(`/v1/templates/${id}/versions`), [id]);
  const [error, setError] = useState<unknown>(null);
  const items = Array.isArray(versions.data) ? versions.data : versions.data?.items ?? [];
  const restore = async (version: Template) => {
    setError(null);
    try {
      const restored = await api.post<Template>(`/v1/templates/${version.id}/restore`);
      versions.reload();
      navigate(`/templates/${restored.id}`);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <section className="card">
      <h2>{t('templates.versions')}</h2>
      <ErrorBanner error={error ?? versions.error} />
      <table className="table">
        <tbody>
          {items.map((version) => (
            <tr key={version.id} data-testid="template-version">
              <td>v{version.version} {version.isCurrent && <span className="badge badge-delivered">{t('templates.current')}</span>}</td>
              <td className="small muted">{formatInstant(version.createdAt)}</td>
              <td className="clip small">{version.body}</td>
              <td>{canRestore && !version.isCurrent && <button onClick={() => restore(version)}>{t('templates.restore')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
