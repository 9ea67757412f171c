import { useId } from 'react';
import { useApiQuery } from '../api/queries';
import type { Page, Template } from '../api/types';
import { useI18n } from '../i18n/i18n';

/**
 * A template key field that offers the keys templates have, and says so at once when the typed key
 * has none (the API refuses it on save with 422 naming the field).
 */
export function TemplateKeyInput({ name = 'templateKey', value, onChange, readOnly }: { name?: string; value: string; onChange(key: string): void; readOnly?: boolean }) {
  const { t } = useI18n();
  const listId = useId();
  const templates = useApiQuery<Page<Template>>('/v1/templates', { limit: 500 });
  const keys = [...new Set((templates.data?.items ?? []).map((tpl) => tpl.key))].sort();
  const unknown = templates.data && value.trim() !== '' && !keys.includes(value.trim());
  return (
    <>
      <input name={name} value={value} readOnly={readOnly} list={listId} onChange={(e) => onChange(e.target.value)} aria-invalid={unknown || undefined} />
      <datalist id={listId}>{keys.map((key) => <option key={key} value={key} />)}</datalist>
      {unknown && <span className="field-error small" data-testid="unknown-template-key">{t('templates.unknownKey', { key: value.trim() })}</span>}
    </>
  );
}
