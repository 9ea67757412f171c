import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Page, Template } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../lib/router';
import { ErrorBanner } from './error-banner';

/** Every version of the template; restoring one makes it current again. */
export function TemplateVersionsPanel({ id, canRestore }: { id: string; canRestore: boolean }) {
  const { t, formatInstant } = useI18n();
  const versions = useApiQuery<Page<Template> | Template[]>(`/v1/templates/${id}/versions`);
  const restore = useApiMutation((version: Template) => api.post<Template>(`/v1/templates/${version.id}/restore`), ['/v1/templates']);
  const items = Array.isArray(versions.data) ? versions.data : versions.data?.items ?? [];
  const restoreVersion = (version: Template) => restore.mutate(version, { onSuccess: (restored) => navigate(`/templates/${restored.id}`) });
  return (
    <section className="card">
      <h2>{t('templates.versions')}</h2>
      <ErrorBanner error={restore.error ?? versions.error} />
      <table className="table">
        <tbody>
          {items.map((version) => (
            <tr key={version.id} data-testid="template-version">
              <td>v{version.version} {version.isCurrent && <span className="badge badge-delivered">{t('templates.current')}</span>}</td>
              <td className="small muted">{formatInstant(version.createdAt)}</td>
              <td className="clip small">{version.body}</td>
              <td>{canRestore && !version.isCurrent && <button disabled={restore.isPending} onClick={() => restoreVersion(version)}>{t('templates.restore')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
