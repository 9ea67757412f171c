import type { SegmentsService } from '../segments/segments.service';
import type { TemplateKeyCheck } from '../templates/template-keys';
import type { Clock } from '../../time/clock';
import { localDateOf } from '../../time/local-time';
import type { BirthdayGreetingsService } from './birthday-greetings.service';
import type { FestivalAutomationInput } from './automations.schemas';
import { assertGreetingHolidays, festivalSettingsOf, type FestivalHolidayLookup } from './festival-settings';
import type { AutomationsRepository } from './automations.repository';
import type { FestivalMessagesRepository } from './festival-messages.repository';
import type { BirthdayAutomation, FirstOrderAutomation, OrderNoticeSetting, OrderNoticesAutomation } from './automations.types';

/** Reading and changing the automation settings; a birthday change re-times every contact's next greeting. */
export function createAutomationsService(deps: {
  repository: AutomationsRepository;
  birthdays: BirthdayGreetingsService;
  holidays: FestivalHolidayLookup;
  festivalMessages: FestivalMessagesRepository;
  /** 404 for an unknown segment. */
  segments: Pick<SegmentsService, 'filterOf'>;
  clock: Clock;
  defaultTimeZone: string;
  /** 422 naming the field for a template key no template has. */
  templateKeys: TemplateKeyCheck;
}) {
  const { repository, birthdays, segments } = deps;

  const birthdayView = async () => ({ key: 'birthday' as const, ...(await repository.get('birthday')) });
  const firstOrderView = async () => ({ key: 'first-order-follow-up' as const, ...(await repository.get('first-order-follow-up')) });
  const orderNoticesView = async () => ({ key: 'order-notices' as const, ...(await repository.get('order-notices')) });
  const festivalsView = async () => ({ key: 'festivals' as const, ...(await repository.get('festivals')) });

  return {
    list: async () => ({
      items: [await birthdayView(), await firstOrderView(), await orderNoticesView(), await festivalsView()] as [
        Awaited<ReturnType<typeof birthdayView>>, Awaited<ReturnType<typeof firstOrderView>>, Awaited<ReturnType<typeof orderNoticesView>>,
        Awaited<ReturnType<typeof festivalsView>>,
      ],
    }),

    /**
     * Saves the birthday settings; when the send time or on/off changed, every contact's
     * `next_birthday_at` is recomputed before answering (keyset batches). The audience needs no
     * recompute: the tick applies it to the due rows on the day.
     */
    async putBirthday(input: Omit<BirthdayAutomation, 'segmentId' | 'filter' | 'holdoutPercent'> & Partial<Pick<BirthdayAutomation, 'segmentId' | 'filter' | 'holdoutPercent'>>) {
      const before = await repository.get('birthday');
      await deps.templateKeys(input.templateKey, input.channels);
      if (input.segmentId) await segments.filterOf(input.segmentId); // 404 for an unknown segment
      const settings: BirthdayAutomation = {
        enabled: input.enabled, channels: input.channels, templateKey: input.templateKey, sendAt: input.sendAt,
        segmentId: input.segmentId ?? null, filter: input.segmentId ? null : input.filter ?? null,
        holdoutPercent: input.holdoutPercent ?? 0,
        // Stored only when set: settings without a coupon read as they did before coupons existed.
        ...(input.couponBatchId ? { couponBatchId: input.couponBatchId } : {}),
      };
      await repository.put('birthday', settings);
      if (before.sendAt !== settings.sendAt || before.enabled !== settings.enabled) await birthdays.recomputeAll(settings);
      return birthdayView();
    },

    /** Applies to orders recorded from now on; follow-ups already scheduled keep their time. `trigger` defaults to `placed`. */
    async putFirstOrder(input: Omit<FirstOrderAutomation, 'trigger' | 'holdoutPercent'> & Partial<Pick<FirstOrderAutomation, 'trigger' | 'holdoutPercent'>>) {
      const { enabled, channels, templateKey, delayDays, windowEndDays, sendAt, trigger, holdoutPercent, couponBatchId } = input;
      await deps.templateKeys(templateKey, channels);
      await repository.put('first-order-follow-up', {
        enabled, channels, templateKey, delayDays, windowEndDays, sendAt, trigger: trigger ?? 'placed', holdoutPercent: holdoutPercent ?? 0,
        ...(couponBatchId ? { couponBatchId } : {}),
      });
      return firstOrderView();
    },

    /**
     * Saves the festival greetings; each listed holiday must exist and be a greeting day (422 naming
     * `holidays`), a segment must exist (404). The scheduler tick reads them on its next run.
     */
    async putFestivals(input: FestivalAutomationInput) {
      const year = Number(localDateOf(deps.clock.now(), deps.defaultTimeZone).slice(0, 4));
      await assertGreetingHolidays(deps.holidays, input.holidays, year);
      await deps.templateKeys(input.templateKey, input.channels);
      if (input.segmentId) await segments.filterOf(input.segmentId);
      const before = await repository.get('festivals');
      await repository.put('festivals', festivalSettingsOf(input));
      // Switched off, or a festival taken off the list: its greetings still waiting don't go out
      // (those already being sent are past cancelling).
      const dropped = before.enabled ? before.holidays.filter((key) => !input.enabled || !input.holidays.includes(key)) : [];
      await deps.festivalMessages.cancelWaiting(dropped, input.enabled ? 'festival taken off the festival greetings' : 'festival greetings switched off', deps.clock.now());
      return festivalsView();
    },

    /** Applies to order changes from now on; notices already waiting keep their time and channels. */
    async putOrderNotices(input: OrderNoticesAutomation) {
      // Only the known fields are stored, whatever else the body carried.
      const pick = ({ enabled, channels, templateKey }: OrderNoticeSetting): OrderNoticeSetting => ({ enabled, channels, templateKey });
      const notices = ['paymentReminder', 'shipped', 'delivered', 'signed', 'tripReminder'] as const;
      for (const notice of notices) await deps.templateKeys(input[notice].templateKey, input[notice].channels, `${notice}.templateKey`);
      await repository.put('order-notices', {
        paymentReminder: { ...pick(input.paymentReminder), afterMinutes: input.paymentReminder.afterMinutes },
        shipped: pick(input.shipped),
        delivered: pick(input.delivered),
        signed: pick(input.signed),
        tripReminder: { ...pick(input.tripReminder), daysBefore: input.tripReminder.daysBefore, sendAt: input.tripReminder.sendAt },
      });
      return orderNoticesView();
    },
  };
}
export type AutomationsService = ReturnType<typeof createAutomationsService>;
