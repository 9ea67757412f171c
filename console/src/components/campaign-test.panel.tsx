import { useState } from 'react';
import { api } from '../api/client';
import { useApiMutation, useApiQuery } from '../api/queries';
import type { Contact, Page, RecipientPreview as Rendered } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { useDebounced } from '../lib/use-debounced';
import { ErrorBanner } from './error-banner';

/** `ensureCampaign` saves the plan as a draft (or updates it) and gives its id: tests and previews are of what is saved. */
interface Props {
  ensureCampaign(): Promise<string>;
  disabled?: boolean;
}

/** One test copy (marked as a test: not in the campaign's counts, not held by the cap) to a number or address. */
export function TestSendForm({ ensureCampaign, disabled }: Props) {
  const { t } = useI18n();
  const [to, setTo] = useState('');
  const send = useApiMutation(async (address: string) => {
    const id = await ensureCampaign();
    return api.post<{ messageId: string }>(`/v1/campaigns/${id}/test-send`, { to: address });
  }, ['/v1/campaigns']);
  return (
    <div className="row">
      <label>{t('campaigns.testTo')}<input name="testTo" value={to} onChange={(e) => { send.reset(); setTo(e.target.value); }} /></label>
      <button disabled={disabled || !to.trim() || send.isPending} onClick={() => send.mutate(to.trim())}>{t('campaigns.testSend')}</button>
      {send.isSuccess && <span className="muted" role="status" data-testid="test-sent">{t('campaigns.testSent', { to: send.variables ?? '' })}</span>}
      <ErrorBanner error={send.error} />
    </div>
  );
}

/** What a chosen contact would get: signature, brand, 回T退订 and the length of it all. */
export function RecipientPreview({ ensureCampaign }: Props) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim(), 250);
  const found = useApiQuery<Page<Contact>>(search ? '/v1/contacts' : null, { q: search, limit: 5 });
  const preview = useApiMutation(async (contactId: string) => {
    const id = await ensureCampaign();
    return api.post<Rendered>(`/v1/campaigns/${id}/preview`, { contactId });
  }, []);
  const result = preview.data;
  return (
    <div>
      <label>{t('campaigns.previewSearch')}<input name="previewSearch" value={q} onChange={(e) => setQ(e.target.value)} /></label>
      <p>
        {(found.data?.items ?? []).map((c) => (
          <button key={c.id} className="link" data-testid="preview-contact" onClick={() => preview.mutate(c.id)}>{c.name ?? c.phone ?? c.email}</button>
        ))}
      </p>
      <ErrorBanner error={preview.error} />
      {result && (
        <>
          <p className="muted">{t('campaigns.previewText')}</p>
          {result.subject && <p><strong>{result.subject}</strong></p>}
          <pre className="rendered" data-testid="recipient-preview">{result.text}</pre>
          {result.sms && <p className="counter" data-testid="recipient-preview-counter">{t('campaigns.segmentsCount', { characters: result.sms.characters, segments: result.sms.segments })}</p>}
        </>
      )}
    </div>
  );
}
