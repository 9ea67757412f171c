import type { TemplateRow } from './templates.repository';

const language = (locale: string) => locale.split('-')[0].toLowerCase();

/**
 * Chooses among the current versions of one key+channel: the contact's locale first (exact, then
 * same language), then the default locale; within the chosen locale the gender variant, then none.
 * A locale that only has another gender's variant is skipped rather than sent to the wrong person.
 */
export function pickTemplate(
  rows: TemplateRow[],
  wanted: { locale?: string | null; gender?: string | null; defaultLocale: string },
): TemplateRow | null {
  const localeRanks: ((locale: string) => boolean)[] = [];
  if (wanted.locale) {
    const contactLocale = wanted.locale;
    localeRanks.push((l) => l.toLowerCase() === contactLocale.toLowerCase(), (l) => language(l) === language(contactLocale));
  }
  localeRanks.push((l) => l.toLowerCase() === wanted.defaultLocale.toLowerCase(), (l) => language(l) === language(wanted.defaultLocale));

  const variants = wanted.gender === 'female' || wanted.gender === 'male' ? [wanted.gender, ''] : [''];
  for (const matchesLocale of localeRanks) {
    const inLocale = rows.filter((row) => matchesLocale(row.locale)).sort((a, b) => a.locale.localeCompare(b.locale));
    for (const variant of variants) {
      const found = inLocale.find((row) => row.variant === variant);
      if (found) return found;
    }
  }
  return null;
}
