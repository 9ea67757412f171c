import { useState } from 'react';
import { upload } from '../api/client';
import { useApiMutation } from '../api/queries';
import type { ImportResult } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { ErrorBanner } from './error-banner';

type Phase = { name: 'idle' } | { name: 'uploading'; share: number } | { name: 'processing' } | { name: 'done'; result: ImportResult };

/** CSV import: upload progress, then the server's summary with the first rejected rows and why (the count covers all). */
export function ContactsImportPanel() {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  // New contacts change lists and segment counts alike.
  const importFile = useApiMutation((chosen: File) => upload<ImportResult>('/v1/contacts/import', chosen, 'text/csv', (share) =>
    setPhase(share < 1 ? { name: 'uploading', share } : { name: 'processing' })), ['/v1/contacts', '/v1/segments']);
  const start = () => {
    if (!file) return;
    setPhase({ name: 'uploading', share: 0 });
    importFile.mutate(file, {
      onSuccess: (result) => setPhase({ name: 'done', result }),
      onError: () => setPhase({ name: 'idle' }),
    });
  };
  const busy = phase.name === 'uploading' || phase.name === 'processing';
  return (
    <section className="card" data-testid="import-panel">
      <label>
        {t('contacts.importFile')}
        <input type="file" accept=".csv,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      <button className="primary" disabled={!file || busy} onClick={start}>{t('contacts.importStart')}</button>
      {phase.name === 'uploading' && <progress max={1} value={phase.share}>{Math.round(phase.share * 100)}%</progress>}
      {phase.name === 'processing' && <p><progress /> {t('contacts.importProcessing')}</p>}
      <ErrorBanner error={importFile.error} />
      {phase.name === 'done' && (
        <div className="import-result">
          <p><strong>{t('contacts.importDone', { created: phase.result.created, updated: phase.result.updated, rejected: phase.result.rejectedCount })}</strong></p>
          {phase.result.rejected.length > 0 && (
            <table className="table">
              <thead><tr><th>{t('contacts.importRow')}</th><th>{t('contacts.importErrors')}</th></tr></thead>
              <tbody>
                {phase.result.rejected.map((row) => (
                  <tr key={row.row}><td>{row.row}</td><td>{row.errors.map((e) => `${e.field}: ${e.message}`).join('; ')}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
