import { useState } from 'react';
import { downloadFile, request, upload } from '../api/client';
import { useApiMutation } from '../api/queries';
import type { ImportPreview, ImportResult } from '../api/types';
import { useI18n } from '../i18n/i18n';
import type { DictionaryKey } from '../i18n/zh-cn.dictionary';
import { zhCN } from '../i18n/zh-cn.dictionary';
import { ErrorBanner } from './error-banner';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const contentTypeOf = (file: File) => (/\.xlsx$/i.test(file.name) ? XLSX_TYPE : 'text/csv');
/** What a column is imported as: a field, `attributes.<header>`, or '' (not imported). */
const ATTRIBUTE = '__attribute__';

type Phase =
  | { name: 'idle' }
  | { name: 'mapping'; file: File; preview: ImportPreview; choice: Record<string, string> }
  | { name: 'uploading'; share: number }
  | { name: 'processing' }
  | { name: 'done'; result: ImportResult };

const isKey = (key: string): key is DictionaryKey => key in zhCN;

/** Words for an import field or an error code, with the raw value when the dictionary has none. */
export function useImportWords() {
  const { t, language } = useI18n();
  const field = (name: string) => {
    const key = `field.${name}`;
    if (isKey(key)) return t(key);
    return name.startsWith('attributes.') ? name.slice('attributes.'.length) : name;
  };
  const reason = (error: { code?: string; message: string }) => {
    const key = `importError.${error.code ?? ''}`;
    return isKey(key) ? t(key) : error.message;
  };
  /** `手机号：不是有效的电话号码` / `Mobile: not a valid phone number`. */
  const line = (error: { field: string; code?: string; message: string }) => `${field(error.field)}${language === 'en' ? ': ' : '：'}${reason(error)}`;
  return { field, reason, line };
}

/**
 * The import wizard: pick a CSV or Excel file, check how its columns map (the server proposes
 * from the headers it recognises), import, then read which rows were rejected and why — with the
 * row numbers the spreadsheet shows.
 */
export function ContactsImportPanel() {
  const { t } = useI18n();
  const words = useImportWords();
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const preview = useApiMutation((file: File) =>
    request<ImportPreview>('POST', '/v1/contacts/import/preview', { raw: { data: file, contentType: contentTypeOf(file) } }), []);
  // New contacts change lists and segment counts alike.
  const importFile = useApiMutation(({ file, mapping }: { file: File; mapping: Record<string, string | null> }) =>
    upload<ImportResult>(`/v1/contacts/import?mapping=${encodeURIComponent(JSON.stringify(mapping))}`, file, contentTypeOf(file), (share) =>
      setPhase(share < 1 ? { name: 'uploading', share } : { name: 'processing' })), ['/v1/contacts', '/v1/segments']);
  const sample = useApiMutation(() => downloadFile('/v1/contacts/import/sample.csv', undefined, 'carebeat-contacts-sample.csv'), []);

  const choose = (file: File | undefined) => {
    if (!file) return;
    preview.mutate(file, {
      onSuccess: (read) => setPhase({
        name: 'mapping', file, preview: read,
        choice: Object.fromEntries(read.headers.map((header) => [header, read.mapping[header] ?? ''])),
      }),
    });
  };
  const start = () => {
    if (phase.name !== 'mapping') return;
    const mapping = Object.fromEntries(Object.entries(phase.choice).map(([header, value]) =>
      [header, value === ATTRIBUTE ? `attributes.${header}` : value || null]));
    setPhase({ name: 'uploading', share: 0 });
    importFile.mutate({ file: phase.file, mapping }, {
      onSuccess: (result) => setPhase({ name: 'done', result }),
      onError: () => setPhase({ name: 'idle' }),
    });
  };

  return (
    <section className="card" data-testid="import-panel">
      <h2>{t('import.title')}</h2>
      {phase.name === 'idle' && (
        <>
          <p className="small muted">{t('import.hint')}</p>
          <label>
            {t('import.chooseFile')}
            <input type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => choose(e.target.files?.[0])} />
          </label>
          <button type="button" className="link" onClick={() => sample.mutate(undefined)}>{t('import.sample')}</button>
          {preview.isPending && <p><progress /> {t('import.reading')}</p>}
        </>
      )}
      <ErrorBanner error={preview.error ?? sample.error} />
      {phase.name === 'mapping' && (
        <div data-testid="import-mapping">
          <h3>{t('import.mappingTitle')}</h3>
          {phase.preview.encoding && <p className="small muted">{t('import.encoding', { encoding: phase.preview.encoding })}</p>}
          <table className="table">
            <thead><tr><th>{t('import.column')}</th><th>{t('import.field')}</th><th>{t('import.example')}</th></tr></thead>
            <tbody>
              {phase.preview.headers.map((header, column) => {
                const value = phase.choice[header] ?? '';
                const custom = value.startsWith('attributes.');
                return (
                  <tr key={`${column}-${header}`}>
                    <td>{header}</td>
                    <td>
                      <select name={`map-${header}`} aria-label={header} value={custom ? ATTRIBUTE : value}
                        onChange={(e) => setPhase({ ...phase, choice: { ...phase.choice, [header]: e.target.value } })}>
                        <option value="">{t('import.skip')}</option>
                        {phase.preview.fields.map((field) => <option key={field} value={field}>{words.field(field)}</option>)}
                        <option value={ATTRIBUTE}>{t('import.keepAsAttribute')}</option>
                      </select>
                    </td>
                    <td className="small clip">{phase.preview.sample.map((row) => row.cells[column]).filter(Boolean).slice(0, 2).join(' · ')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button className="primary" onClick={start}>{t('import.start')}</button>
          <button type="button" onClick={() => setPhase({ name: 'idle' })}>{t('import.back')}</button>
        </div>
      )}
      {phase.name === 'uploading' && <progress max={1} value={phase.share}>{Math.round(phase.share * 100)}%</progress>}
      {phase.name === 'processing' && <p><progress /> {t('import.processing')}</p>}
      <ErrorBanner error={importFile.error} />
      {phase.name === 'done' && <ImportReport result={phase.result} onAgain={() => setPhase({ name: 'idle' })} />}
    </section>
  );
}

function ImportReport({ result, onAgain }: { result: ImportResult; onAgain(): void }) {
  const { t } = useI18n();
  const words = useImportWords();
  return (
    <div className="import-result">
      <p><strong>{t('import.done', { created: result.created, updated: result.updated, rejected: result.rejectedCount })}</strong></p>
      {!!result.ignoredColumns?.length && <p className="small">{t('import.ignored', { columns: result.ignoredColumns.join('、') })}</p>}
      {result.rejected.length > 0 && (
        <table className="table" data-testid="import-rejected">
          <thead><tr><th>{t('import.row')}</th><th>{t('import.errors')}</th></tr></thead>
          <tbody>
            {result.rejected.map((row) => (
              <tr key={row.row}>
                <td>{row.row}</td>
                <td>{row.errors.map(words.line).join(t('import.separator'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.rejectedTruncated && <p className="small muted">{t('import.truncated', { count: result.rejected.length })}</p>}
      <button type="button" onClick={onAgain}>{t('import.back')}</button>
    </div>
  );
}
