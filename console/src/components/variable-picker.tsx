import { useApiQuery } from '../api/queries';
import { useI18n } from '../i18n/i18n';

interface Variables {
  items: Array<{ path: string; anySubPath: boolean }>;
  helpers: string[];
}

/** The known variable schema (GET /v1/templates/variables) as buttons that insert `{{path}}` where the cursor is. */
export function VariablePicker({ onInsert, disabled }: { onInsert(text: string): void; disabled?: boolean }) {
  const { t } = useI18n();
  const variables = useApiQuery<Variables>('/v1/templates/variables');
  if (!variables.data) return null;
  return (
    <div data-testid="variable-picker">
      <div className="small muted">{t('templates.variables')} · {t('templates.variablesHint')}</div>
      <div className="variables">
        {variables.data.items.map(({ path, anySubPath }) => (
          <button key={path} type="button" disabled={disabled} data-variable={path} title={anySubPath ? t('templates.anySubPath') : undefined}
            onClick={() => onInsert(anySubPath ? `{{${path}.name}}` : `{{${path}}}`)}>
            {anySubPath ? `${path}.*` : path}
          </button>
        ))}
      </div>
      <div className="small muted">{t('templates.helpers')}: {variables.data.helpers.map((h) => <code key={h}>{h} </code>)}</div>
    </div>
  );
}
