import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, api } from '../api/client';
import { keyOf, useApiQuery } from '../api/queries';
import type { Channel, Contact, Page, Preview } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { useDebounced } from '../lib/use-debounced';

export interface Draft {
  channel: Channel;
  locale: string;
  subject: string;
  body: string;
  html: string;
  /** The template key: a marketing key previews as it is sent (【签名】 first, 回T退订 last, counted in the length). */
  key?: string;
}

/** Keys sent as marketing (the API's defaultKindOf): the preview adds what the send adds. */
const SENT_AS: Record<string, string> = { promo: 'promo', festival: 'festival', winback: 'promo', care: 'promo', 'second-purchase': 'promo' };

const SAMPLE_DATA = {
  contact: { name: '王小明', firstName: '小明', salutation: '王先生' },
  holiday: { name: '中秋节', date: '2027-09-15' },
  order: { externalId: 'A-1001', amount: 199, currency: 'CNY' },
  campaign: { name: '中秋感恩回馈' },
};

function parsedOrNull(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

/** Renders the draft through the API as it is typed: text, SMS counter, or the unknown variable. */
export function TemplatePreviewPanel({ draft, onProblem }: { draft: Draft; onProblem(message: string | null): void }) {
  const { t, term, knows } = useI18n();
  const [contactId, setContactId] = useState('');
  const [sample, setSample] = useState(JSON.stringify(SAMPLE_DATA, null, 2));
  const contacts = useApiQuery<Page<Contact>>('/v1/contacts', { limit: 100 });
  const input = useDebounced({ draft, contactId, sample }, 200);
  const data = input.contactId ? undefined : parsedOrNull(input.sample);
  const sampleInvalid = !input.contactId && data === null;
  // Rendering has no side effect, so the preview is a read: cached per draft, and the last one stays up while the next renders.
  const preview = useQuery({
    queryKey: keyOf('/v1/templates/preview', { draft: JSON.stringify(input.draft), contactId: input.contactId, data: JSON.stringify(data) }),
    queryFn: () => {
      const { channel, locale, subject, body, html } = input.draft;
      const email = channel === 'email' ? { subject: subject || undefined, html: html || undefined } : {};
      const kind = SENT_AS[input.draft.key ?? ''];
      return api.post<Preview>('/v1/templates/preview', { channel, locale, body, ...email, ...(kind ? { kind } : {}), ...(input.contactId ? { contactId: input.contactId } : { data }) });
    },
    enabled: !sampleInvalid,
    placeholderData: keepPreviousData,
  });
  const problem = sampleInvalid ? t('templates.sampleInvalid')
    : preview.error instanceof ApiError ? describeProblem(preview.error)
      : preview.error instanceof Error ? preview.error.message : null;
  /** A syntax error whole, with its line and column; other problems by their code, with the server's words. */
  function describeProblem(error: ApiError): string {
    const lines = error.details.map((d) => (d.line ? `${t('templates.syntaxError', { line: d.line, column: d.column ?? 1 })}\n${d.message.replace(/^template does not compile: line \d+, column \d+: /, '')}` : `${d.field}: ${d.message}`));
    const head = knows('errors', error.code) && !error.details.some((d) => d.line) ? [term('errors', error.code)] : [];
    return [...head, ...(lines.length ? lines : [error.message])].join('\n');
  }
  // The editor shows the problem right under the body field.
  useEffect(() => onProblem(problem), [problem, onProblem]);
  const result = preview.data;
  return (
    <section className="card preview">
      <h2>{t('templates.preview')}</h2>
      <label>
        {t('templates.previewFor')}
        <select value={contactId} onChange={(e) => setContactId(e.target.value)} name="previewContact">
          <option value="">{t('templates.sampleData')}</option>
          {(contacts.data?.items ?? []).map((c) => <option key={c.id} value={c.id}>{c.name ?? c.phone ?? c.email}</option>)}
        </select>
      </label>
      {!contactId && <textarea className="mono" rows={6} value={sample} onChange={(e) => setSample(e.target.value)} name="sampleData" />}
      {result && !problem && (
        <>
          {result.subject && <p><strong>{result.subject}</strong></p>}
          <pre className="rendered" data-testid="preview-text">{result.text}</pre>
          {draft.channel === 'sms' && (
            <p className="counter" data-testid="sms-counter">
              {t('templates.characters')}: <b>{result.sms.characters}</b> · {t('templates.encoding')}: <b>{result.sms.encoding}</b> · {t('templates.segments')}: <b data-testid="sms-segments">{result.sms.segments}</b>
            </p>
          )}
        </>
      )}
    </section>
  );
}
