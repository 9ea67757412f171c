import type { Clock } from '../../time/clock';
import type { AutomationsRepository } from '../automations/automations.repository';
import type { SqlExecutor } from '../messages/outbox.repository';
import type { NewMessage, OutboxResult } from '../messages/outbox.types';
import type { OrderChange, OrderChangeListener } from './order-change';
import { orderTemplateData } from './order-notice-rules';
import { dueNotices, noticeMessages, obsoleteNotices } from './order-notices.plan';
import type { OrderNoticesRepository } from './order-notices.repository';

export interface StagingOutbox {
  stage(list: NewMessage[], executor: SqlExecutor): Promise<OutboxResult & { enqueue(): Promise<void> }>;
}

const isTripReminder = (message: NewMessage) => message.dedupeKey.includes(':trip-reminder:');

/**
 * The order notices (催付, 发货, 到货, 签收) and the trip reminder: outbox messages of kind `order`,
 * made or cancelled as an order changes, inside the order's own transaction. Nothing scans orders:
 * a reminder due later is a `scheduled` message, promoted by the outbox tick when its time comes,
 * and the send gate re-checks the order's status before it goes out.
 */
export function createOrderNoticesService(deps: {
  automations: Pick<AutomationsRepository, 'get'>;
  outbox: StagingOutbox;
  repository: OrderNoticesRepository;
  clock: Clock;
}) {
  const { automations, outbox, repository, clock } = deps;

  const onOrderChange: OrderChangeListener = async (change: OrderChange, executor: SqlExecutor) => {
    const now = clock.now();
    const { after } = change;
    const settings = await automations.get('order-notices', executor);
    const due = dueNotices(change, settings, now);
    const contact = due.length ? await repository.findContact(after.contactId, executor) : undefined;
    const messages = contact ? noticeMessages(after, due, contact) : [];
    const tripKeys = messages.filter(isTripReminder).map((message) => message.dedupeKey);

    await repository.cancelWaiting(after, obsoleteNotices(change), tripKeys, now, executor);
    if (messages.length === 0) return undefined;
    const staged = await outbox.stage(messages, executor);
    const departureMoved = change.before && change.before.departureAt?.getTime() !== after.departureAt?.getTime();
    if (departureMoved && tripKeys.length) await repository.refreshWaiting(tripKeys, orderTemplateData(after), after.departureAt, now, executor);
    return staged.created.length ? staged.enqueue : undefined;
  };

  return { onOrderChange };
}
export type OrderNoticesService = ReturnType<typeof createOrderNoticesService>;
