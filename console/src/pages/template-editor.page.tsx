import { useCallback, useEffect, useState } from 'react';
import { api } from '../api/client';
import type { Template } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner, Loading } from '../components/error-banner';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../lib/router';
import { useLoad } from '../lib/use-load';
import { TemplatePreviewPanel, type Draft } from './template-preview.panel';
import { TemplateVersionsPanel } from './template-versions.panel';

interface Form extends Draft {
  key: string;
  variant: string;
}

const EMPTY: Form = { key: '', channel: 'sms', locale: 'zh-CN', variant: '', subject: '', body: '', html: '' };

/** New template (no id) or a new version of an existing one; saving always creates a version. */
export function TemplateEditorPage({ id }: { id?: string }) {
  const { t } = useI18n();
  const { canWrite } = useSession();
  const editable = canWrite('templates');
  const loaded = useLoad(async () => (id ? api.get<Template>(`/v1/templates/${id}`) : null), [id]);
  const [form, setForm] = useState<Form>(EMPTY);
  const [problem, setProblem] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    const tpl = loaded.data;
    if (tpl) setForm({ key: tpl.key, channel: tpl.channel, locale: tpl.locale, variant: tpl.variant ?? '', subject: tpl.subject ?? '', body: tpl.body, html: tpl.html ?? '' });
  }, [loaded.data]);
  const onProblem = useCallback((message: string | null) => setProblem(message), []);
  const set = (name: keyof Form) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: event.target.value }));
  const save = async () => {
    setSaving(true);
    setSaveError(null);
    try {
      const email = form.channel === 'email' ? { subject: form.subject, html: form.html || null } : {};
      const saved = await api.post<Template>('/v1/templates', {
        key: form.key, channel: form.channel, locale: form.locale, variant: form.variant || null, body: form.body, ...email,
      });
      navigate(`/templates/${saved.id}`);
    } catch (failure) {
      setSaveError(failure);
    } finally {
      setSaving(false);
    }
  };
  if (id && loaded.loading && !loaded.data) return <Loading />;
  const existing = Boolean(id);
  return (
    <>
      <p><Link to="/templates">← {t('common.back')}</Link></p>
      <h1>{existing ? `${form.key} · ${form.channel} · ${form.locale}${form.variant ? ' · ' + form.variant : ''}` : t('templates.new')}</h1>
      <ErrorBanner error={loaded.error} />
      <div className="grid two">
        <section className="card form">
          <div className="row">
            <label>{t('templates.key')}<input name="key" value={form.key} onChange={set('key')} readOnly={existing || !editable} /></label>
            <label>{t('common.channel')}
              <select name="channel" value={form.channel} onChange={set('channel')} disabled={existing || !editable}>
                <option value="sms">sms</option><option value="email">email</option>
              </select>
            </label>
            <label>{t('templates.locale')}<input name="locale" value={form.locale} onChange={set('locale')} readOnly={existing || !editable} /></label>
            <label>{t('templates.variant')}
              <select name="variant" value={form.variant} onChange={set('variant')} disabled={existing || !editable}>
                <option value="">—</option><option value="female">female</option><option value="male">male</option>
              </select>
            </label>
          </div>
          {form.channel === 'email' && <label>{t('templates.subject')}<input name="subject" value={form.subject} onChange={set('subject')} readOnly={!editable} /></label>}
          <label>{t('templates.body')}
            <textarea name="body" rows={8} value={form.body} onChange={set('body')} readOnly={!editable} aria-invalid={problem ? true : undefined} />
          </label>
          {problem && <p className="field-error" role="alert" data-testid="template-problem">{problem}</p>}
          {form.channel === 'email' && <label>{t('templates.html')}<textarea name="html" className="mono" rows={8} value={form.html} onChange={set('html')} readOnly={!editable} /></label>}
          <ErrorBanner error={saveError} />
          {editable && <button className="primary" onClick={save} disabled={saving || !form.key || !form.body}>{existing ? t('templates.saveVersion') : t('common.save')}</button>}
        </section>
        <TemplatePreviewPanel draft={form} onProblem={onProblem} />
      </div>
      {id && <TemplateVersionsPanel id={id} canRestore={editable} />}
    </>
  );
}
