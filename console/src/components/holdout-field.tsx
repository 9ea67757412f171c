import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/** The API's bounds of `holdoutPercent` (campaigns, automations, lifecycle journeys). */
const MAX_HOLDOUT = 50;

/** Whether a holdout share can be saved: a number from 0 to 50 (a form with a bad one does not save). */
export const holdoutValid = (value: number | undefined): boolean => value === undefined || (Number.isFinite(value) && value >= 0 && value <= MAX_HOLDOUT);

/**
 * 对照组比例: the share of recipients held out as the control group — no message, so the report
 * can measure lift. Keeps the text being typed (an empty field is not "0" until it is left so),
 * passes NaN for what is not a number, and says so under the field when it is out of bounds.
 */
export function HoldoutField({ value, disabled, name = 'holdoutPercent', onChange }: {
  value: number | undefined; disabled?: boolean; name?: string; onChange(value: number): void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState(String(value ?? 0));
  // A value set from outside (a draft opened, the form reset after a save) replaces the text.
  useEffect(() => {
    if (value !== undefined && !Number.isNaN(value) && Number(text) !== value) setText(String(value));
  }, [value]);
  const invalid = !holdoutValid(value);
  return (
    <label className="holdout-field">
      {t('holdout.label')}
      <input type="number" name={name} min={0} max={MAX_HOLDOUT} step={1} value={text} readOnly={disabled} aria-invalid={invalid}
        onChange={(e) => {
          setText(e.target.value);
          onChange(e.target.value.trim() === '' ? Number.NaN : Number(e.target.value));
        }} />
      <span className="muted small">{t('holdout.hint')}</span>
      {invalid && <span className="field-error" role="alert" data-testid="holdout-error">{t('holdout.invalid', { max: MAX_HOLDOUT })}</span>}
    </label>
  );
}
