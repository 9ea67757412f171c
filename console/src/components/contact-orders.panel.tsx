import { useApiQuery } from '../api/queries';
import type { Contact, Order, Page } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { Link } from '../lib/router';
import { ErrorBanner } from './error-banner';

/** The contact page's orders: the figures (cancelled and refunded orders don't count) and the orders, newest first. */
export function ContactOrdersPanel({ contact }: { contact: Contact }) {
  const { t, term, formatInstant } = useI18n();
  const orders = useApiQuery<Page<Order>>('/v1/orders', { contactId: contact.id, limit: 100 });
  const figures: Array<[string, string | number | null]> = [
    [t('figures.orderCount'), contact.orderCount], [t('figures.spentTotal'), contact.spentTotal],
    [t('figures.avgOrderValue'), contact.avgOrderValue], [t('figures.firstOrderAt'), contact.firstOrderAt && formatInstant(contact.firstOrderAt)],
    [t('figures.lastOrderAt'), contact.lastOrderAt && formatInstant(contact.lastOrderAt)],
    [t('figures.lastContactedAt'), contact.lastContactedAt && formatInstant(contact.lastContactedAt)],
  ];
  return (
    <section className="card">
      <h2>{t('orders.title')}</h2>
      <dl className="fields" data-testid="order-figures">
        {figures.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{value ?? '—'}</dd></div>)}
      </dl>
      <ErrorBanner error={orders.error} />
      <table className="table" data-testid="contact-orders">
        <thead><tr><th>{t('orders.externalId')}</th><th>{t('orders.placedAt')}</th><th>{t('orders.amount')}</th><th>{t('orders.status')}</th></tr></thead>
        <tbody>
          {(orders.data?.items ?? []).map((o) => (
            <tr key={o.id}>
              <td><Link to={`/orders/${o.id}`}>{o.externalId}</Link>{o.isFirstOrder && <span className="muted small"> · {t('orders.firstOrder')}</span>}</td>
              <td>{formatInstant(o.placedAt)}</td><td>{o.amount} {o.currency}</td><td>{term('orderStatus', o.status)}</td>
            </tr>
          ))}
          {orders.data?.items.length === 0 && <tr><td colSpan={4} className="muted">{t('orders.none')}</td></tr>}
        </tbody>
      </table>
    </section>
  );
}
