import type { filtersZhCN } from './filters.zh-cn.dictionary';

/** The care-journey segment filters and an automation's audience, in English. */
export const filtersEn: Record<keyof typeof filtersZhCN, string> = {
  'filter.gender': 'Gender',
  'filter.ageMin': 'Age from',
  'filter.ageMax': 'Age to',
  'filter.country': 'Country',
  'filter.timeZone': 'Time zone',
  'filter.orderCountMin': 'Orders at least',
  'filter.orderCountMax': 'Orders at most',
  'filter.spentMin': 'Spent at least',
  'filter.spentMax': 'Spent at most',
  'filter.lastOrderWithinDays': 'Ordered within (days)',
  'filter.notContactedForDays': 'Not contacted for (days) ≥',
  'filter.hint': 'Age counts only contacts whose birthday has a year; never contacted counts as not contacted.',
  'audience.title': 'Who gets it',
  'audience.everyone': 'Every contact',
  'audience.segment': 'A segment',
  'audience.filter': 'A filter',
  'audience.chooseSegment': 'Choose a segment',
  'audience.count': 'Contacts now',
};
