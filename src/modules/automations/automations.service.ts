import type { BirthdayGreetingsService } from './birthday-greetings.service';
import type { AutomationsRepository } from './automations.repository';
import type { BirthdayAutomation, FirstOrderAutomation } from './automations.types';

/** Reading and changing the automation settings; a birthday change re-times every contact's next greeting. */
export function createAutomationsService(deps: { repository: AutomationsRepository; birthdays: BirthdayGreetingsService }) {
  const { repository, birthdays } = deps;

  const birthdayView = async () => ({ key: 'birthday' as const, ...(await repository.get('birthday')) });
  const firstOrderView = async () => ({ key: 'first-order-follow-up' as const, ...(await repository.get('first-order-follow-up')) });

  return {
    list: async () => ({ items: [await birthdayView(), await firstOrderView()] as [Awaited<ReturnType<typeof birthdayView>>, Awaited<ReturnType<typeof firstOrderView>>] }),

    /**
     * Saves the birthday settings; when the send time or on/off changed, every contact's
     * `next_birthday_at` is recomputed before answering (keyset batches).
     */
    async putBirthday(input: BirthdayAutomation) {
      const before = await repository.get('birthday');
      const settings: BirthdayAutomation = { enabled: input.enabled, channels: input.channels, templateKey: input.templateKey, sendAt: input.sendAt };
      await repository.put('birthday', settings);
      if (before.sendAt !== settings.sendAt || before.enabled !== settings.enabled) await birthdays.recomputeAll(settings);
      return birthdayView();
    },

    /** Applies to orders recorded from now on; follow-ups already scheduled keep their time. `trigger` defaults to `placed`. */
    async putFirstOrder(input: Omit<FirstOrderAutomation, 'trigger'> & Partial<Pick<FirstOrderAutomation, 'trigger'>>) {
      const { enabled, channels, templateKey, delayDays, windowEndDays, sendAt, trigger } = input;
      await repository.put('first-order-follow-up', { enabled, channels, templateKey, delayDays, windowEndDays, sendAt, trigger: trigger ?? 'placed' });
      return firstOrderView();
    },
  };
}
export type AutomationsService = ReturnType<typeof createAutomationsService>;
