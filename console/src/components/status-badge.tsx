import { useI18n } from '../i18n/i18n';

/** A message or campaign status in words, coloured by the raw status (`data-status` keeps it for tests and styles). */
export function StatusBadge({ status }: { status: string }) {
  const { term } = useI18n();
  return <span className={`badge badge-${status}`} data-status={status}>{term('status', status)}</span>;
}
