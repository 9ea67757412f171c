import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Template } from '../api/types';
import { useSession } from '../auth/session';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { TemplatePreviewPanel, type Draft } from '../components/template-preview.panel';
import { TemplateVersionsPanel } from '../components/template-versions.panel';
import { VariablePicker } from '../components/variable-picker';
import { useI18n } from '../i18n/i18n';
import { Link, navigate } from '../lib/router';
import { useUnsavedGuard } from '../lib/unsaved-guard';

interface Form extends Draft {
  key: string;
  variant: string;
  /** SMS gateway template code and params (`name={{expr}}` per line). */
  gatewayCode: string;
  gatewayParams: string;
}

const EMPTY: Form = { key: '', channel: 'sms', locale: 'zh-CN', variant: '', subject: '', body: '', html: '', gatewayCode: '', gatewayParams: '' };
const PLACEHOLDER_CODE = 'SMS_000000';

/** `name={{expr}}` lines → params; null when a line has no `=`. */
function parseParams(text: string): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    const at = line.indexOf('=');
    if (at <= 0) return null;
    params[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return params;
}
const formatParams = (params: Record<string, string> | undefined): string =>
  Object.entries(params ?? {}).map(([name, value]) => `${name}=${value}`).join('\n');

/** New template (no id) or a new version of an existing one; saving always creates a version. */
export function TemplateEditorPage({ id }: { id?: string }) {
  const { t, term } = useI18n();
  const { canWrite } = useSession();
  const editable = canWrite('templates');
  const loaded = useApiQuery<Template>(id ? `/v1/templates/${id}` : null);
  const [form, setForm] = useState<Form>(EMPTY);
  // What is saved (or blank for a new one): anything else is an unsaved edit, and leaving asks first.
  const [saved, setSaved] = useState<Form>(EMPTY);
  const dirty = editable && JSON.stringify(form) !== JSON.stringify(saved);
  const release = useUnsavedGuard(dirty);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useApiMutation((draft: Form) => {
    const email = draft.channel === 'email' ? { subject: draft.subject, html: draft.html || null } : {};
    const params = parseParams(draft.gatewayParams) ?? {};
    const gateway = draft.channel === 'sms' && (draft.gatewayCode.trim() || Object.keys(params).length)
      ? { gateway: { templateCode: draft.gatewayCode.trim() || null, params } } : {};
    return api.post<Template>('/v1/templates', {
      key: draft.key, channel: draft.channel, locale: draft.locale, variant: draft.variant || null, body: draft.body, ...email, ...gateway,
    });
  }, ['/v1/templates']);
  useEffect(() => {
    const tpl = loaded.data;
    if (!tpl) return;
    const loadedForm = {
      key: tpl.key, channel: tpl.channel, locale: tpl.locale, variant: tpl.variant ?? '', subject: tpl.subject ?? '', body: tpl.body, html: tpl.html ?? '',
      gatewayCode: tpl.gateway?.templateCode ?? '', gatewayParams: formatParams(tpl.gateway?.params),
    };
    setForm(loadedForm);
    setSaved(loadedForm);
  }, [loaded.data]);
  const onProblem = useCallback((message: string | null) => setProblem(message), []);
  /** Puts a variable where the cursor is in the body (or at its end). */
  const insert = (text: string) => {
    const area = bodyRef.current;
    const at = area ? area.selectionStart : form.body.length;
    const end = area ? area.selectionEnd : form.body.length;
    setForm((f) => ({ ...f, body: f.body.slice(0, at) + text + f.body.slice(end) }));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(at + text.length, at + text.length);
    });
  };
  const set = (name: keyof Form) => (event: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: event.target.value }));
  if (id && loaded.isPending) return <Loading />;
  const existing = Boolean(id);
  return (
    <>
      <p><Link to="/templates">← {t('common.back')}</Link></p>
      <h1>{existing ? `${form.key} · ${term('channel', form.channel)} · ${form.locale}${form.variant ? ' · ' + term('gender', form.variant) : ''}` : t('templates.new')}</h1>
      <ErrorBanner error={loaded.error} />
      <div className="grid two">
        <section className="card form">
          <div className="row">
            <label>{t('templates.key')}<input name="key" value={form.key} onChange={set('key')} readOnly={existing || !editable} /></label>
            <label>{t('common.channel')}
              <select name="channel" value={form.channel} onChange={set('channel')} disabled={existing || !editable}>
                <option value="sms">{term('channel', 'sms')}</option><option value="email">{term('channel', 'email')}</option>
              </select>
            </label>
            <label>{t('templates.locale')}<input name="locale" value={form.locale} onChange={set('locale')} readOnly={existing || !editable} /></label>
            <label>{t('templates.variant')}
              <select name="variant" value={form.variant} onChange={set('variant')} disabled={existing || !editable}>
                <option value="">—</option><option value="female">{term('gender', 'female')}</option><option value="male">{term('gender', 'male')}</option>
              </select>
            </label>
          </div>
          {form.channel === 'email' && <label>{t('templates.subject')}<input name="subject" value={form.subject} onChange={set('subject')} readOnly={!editable} /></label>}
          <label>{t('templates.body')}
            <textarea ref={bodyRef} name="body" rows={8} value={form.body} onChange={set('body')} readOnly={!editable} aria-invalid={problem ? true : undefined} />
          </label>
          {problem && <p className="field-error whole" role="alert" data-testid="template-problem">{problem}</p>}
          {editable && <VariablePicker onInsert={insert} />}
          {form.channel === 'sms' && (
            <fieldset className="gateway-template" data-testid="gateway-template">
              <legend>{t('gateways.title')}</legend>
              <p className="hint">{t('gateways.note')}</p>
              <label>{t('gateways.templateCode')}
                <input name="gatewayCode" value={form.gatewayCode} onChange={set('gatewayCode')} readOnly={!editable} placeholder="SMS_123456789" />
              </label>
              {form.gatewayCode.trim() === PLACEHOLDER_CODE && <p className="field-error" role="status">{t('gateways.placeholder')}</p>}
              <label>{t('gateways.params')}
                <textarea name="gatewayParams" className="mono" rows={3} value={form.gatewayParams} onChange={set('gatewayParams')} readOnly={!editable}
                  aria-invalid={parseParams(form.gatewayParams) ? undefined : true} />
              </label>
              {!parseParams(form.gatewayParams) && <p className="field-error" role="alert">{t('gateways.badParam')}</p>}
            </fieldset>
          )}
          {form.channel === 'email' && <label>{t('templates.html')}<textarea name="html" className="mono" rows={8} value={form.html} onChange={set('html')} readOnly={!editable} /></label>}
          <ErrorBanner error={save.error} />
          {dirty && <p className="unsaved small" data-testid="unsaved">● {t('unsaved.badge')}</p>}
          {editable && (
            <button className="primary" onClick={() => save.mutate(form, {
              onSuccess: (created) => {
                setSaved(form);
                release(); // saved: go to the new version without asking
                navigate(`/templates/${created.id}`);
              },
            })} disabled={save.isPending || !form.key || !form.body || !parseParams(form.gatewayParams)}>
              {existing ? t('templates.saveVersion') : t('common.save')}
            </button>
          )}
        </section>
        <TemplatePreviewPanel draft={form} onProblem={onProblem} />
      </div>
      {id && <TemplateVersionsPanel id={id} canRestore={editable} />}
    </>
  );
}
