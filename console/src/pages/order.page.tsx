import type { ReactNode } from 'react';
import { useApiQuery } from '../api/queries';
import type { Order } from '../api/types';
import { ErrorBanner } from '../components/error-banner';
import { Loading } from '../components/loading';
import { ReasonText } from '../components/reason-text';
import { StatusBadge } from '../components/status-badge';
import { useI18n } from '../i18n/i18n';
import { Link } from '../lib/router';

/** One order's journey: its statuses as they came, its items, and the notices sent or cancelled (with why). */
export function OrderPage({ id }: { id: string }) {
  const { t, term, formatInstant } = useI18n();
  const { data: o, error, isPending } = useApiQuery<Order>(`/v1/orders/${id}`);
  if (isPending) return <Loading />;
  if (!o) return <ErrorBanner error={error} />;
  const fields: Array<[string, ReactNode]> = [
    [t('orders.amount'), `${o.amount} ${o.currency}`], [t('orders.placedAt'), formatInstant(o.placedAt)],
    [t('orders.paidAt'), o.paidAt && formatInstant(o.paidAt)],
    [t('orders.tracking'), [o.carrier, o.trackingNumber].filter(Boolean).join(' ') || null],
    [t('orders.departureAt'), o.departureAt && formatInstant(o.departureAt)], [t('orders.couponCode'), o.couponCode],
    [t('orders.followUp'), o.followUp ? <>{term('status', o.followUp.status)}{o.followUp.reason && <> · <ReasonText reason={o.followUp.reason} /></>}</> : null],
  ];
  return (
    <>
      <p><Link to={`/contacts/${o.contactId}`}>← {t('orders.contact')}</Link></p>
      <h1>{t('orders.externalId')} {o.externalId} <span data-testid="order-status">{term('orderStatus', o.status)}</span>
        {o.isFirstOrder && <span className="muted small"> · {t('orders.firstOrder')}</span>}</h1>
      <div className="grid two">
        <section className="card">
          <dl className="fields">{fields.map(([label, value]) => <div key={label}><dt>{label}</dt><dd>{value || '—'}</dd></div>)}</dl>
        </section>
        <section className="card">
          <h2>{t('orders.history')}</h2>
          <table className="table" data-testid="order-history">
            <tbody>
              {o.statusHistory.map((h, i) => <tr key={i}><td>{formatInstant(h.at)}</td><td>{term('orderStatus', h.status)}</td></tr>)}
            </tbody>
          </table>
        </section>
      </div>
      <section className="card">
        <h2>{t('orders.items')}</h2>
        <table className="table">
          <thead><tr><th>SKU</th><th>{t('orders.itemName')}</th><th>{t('orders.quantity')}</th><th>{t('orders.price')}</th></tr></thead>
          <tbody>
            {o.items.map((item, i) => <tr key={i}><td>{item.sku ?? '—'}</td><td>{item.name}</td><td>{item.quantity}</td><td>{item.price ?? '—'}</td></tr>)}
            {o.items.length === 0 && <tr><td colSpan={4} className="muted">{t('common.none')}</td></tr>}
          </tbody>
        </table>
      </section>
      <section className="card">
        <h2>{t('orders.notices')}</h2>
        <table className="table" data-testid="order-notices">
          <thead><tr><th>{t('messages.scheduledAt')}</th><th>{t('orders.notice')}</th><th>{t('common.channel')}</th><th>{t('common.status')}</th><th>{t('orders.reason')}</th></tr></thead>
          <tbody>
            {(o.notices ?? []).map((n) => (
              <tr key={n.messageId}>
                <td><Link to={`/messages/${n.messageId}`}>{formatInstant(n.scheduledAt)}</Link></td>
                <td>{term('notice', n.notice)}</td><td>{term('channel', n.channel)}</td><td><StatusBadge status={n.status} /></td><td className="small"><ReasonText reason={n.reason} /></td>
              </tr>
            ))}
            {(o.notices ?? []).length === 0 && <tr><td colSpan={5} className="muted">{t('common.none')}</td></tr>}
          </tbody>
        </table>
      </section>
    </>
  );
}
