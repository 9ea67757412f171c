import { useState } from 'react';
import { api, ApiError } from '../api/client';
import { useApiMutation } from '../api/queries';
import type { Contact } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { useImportWords } from './contacts-import.panel';
import { ErrorBanner } from './error-banner';

/** A field error in the console's words: the field's name and the reason its code stands for. */
function FieldErrors({ error }: { error: unknown }) {
  const words = useImportWords();
  if (!(error instanceof ApiError) || error.status !== 400 || !error.details.length) return <ErrorBanner error={error} />;
  return (
    <div className="banner banner-error" role="alert">
      <ul>{error.details.map((d, i) => <li key={i}>{words.line(d)}</li>)}</ul>
    </div>
  );
}

/** Edits a contact's own fields (PATCH: what is emptied is cleared). */
export function ContactEditForm({ contact, onDone }: { contact: Contact; onDone(): void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({
    name: contact.name ?? '', phone: contact.phone ?? '', email: contact.email ?? '', gender: contact.gender,
    birthday: contact.birthday ?? '', lunar: contact.birthdayCalendar === 'lunar', tags: contact.tags.join(', '), tier: contact.tier ?? '',
  });
  const save = useApiMutation(() => api.patch<Contact>(`/v1/contacts/${contact.id}`, {
    name: form.name || null, phone: form.phone || null, email: form.email || null, gender: form.gender,
    birthday: form.birthday || null, birthdayCalendar: form.lunar ? 'lunar' : 'gregorian',
    tags: form.tags.split(/[,，;；、]/).map((tag) => tag.trim()).filter(Boolean), tier: form.tier || null,
  }), [`/v1/contacts`]);
  const text = (name: 'name' | 'phone' | 'email' | 'birthday' | 'tags' | 'tier', label: string, hint?: string) => (
    <label>
      {label}
      <input name={name} value={form[name]} placeholder={hint} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );
  return (
    <form className="card form" data-testid="contact-edit" onSubmit={(e) => { e.preventDefault(); save.mutate(undefined, { onSuccess: onDone }); }}>
      {text('name', t('field.name'))}
      {text('phone', t('field.phone'))}
      {text('email', t('field.email'))}
      <label>
        {t('field.gender')}
        <select name="gender" value={form.gender} onChange={(e) => setForm({ ...form, gender: e.target.value })}>
          <option value="unspecified">{t('contactEdit.genderUnspecified')}</option>
          <option value="female">{t('gender.female')}</option>
          <option value="male">{t('gender.male')}</option>
        </select>
      </label>
      {text('birthday', t('field.birthday'), t('contactEdit.birthdayHint'))}
      <label><input type="checkbox" name="lunar" checked={form.lunar} onChange={(e) => setForm({ ...form, lunar: e.target.checked })} /> {t('contactEdit.lunar')}</label>
      {text('tags', t('field.tags'), t('contactEdit.tagsHint'))}
      {text('tier', t('field.tier'))}
      <FieldErrors error={save.error} />
      <button className="primary" type="submit" disabled={save.isPending}>{t('contactEdit.save')}</button>
      <button type="button" onClick={onDone}>{t('common.cancel')}</button>
    </form>
  );
}
