import type { lifecycleZhCN } from './lifecycle.zh-cn.dictionary';

/** The lifecycle classes and journeys in English. */
export const lifecycleEn: Record<keyof typeof lifecycleZhCN, string> = {
  'lifecycle.prospect': 'Prospect',
  'lifecycle.new': 'New',
  'lifecycle.active': 'Active',
  'lifecycle.cooling': 'Cooling',
  'lifecycle.lapsing': 'Lapsing',
  'lifecycle.lost': 'Lost',
  'lifecycle.gone': 'Gone',
  'lifecycle.none': 'Prospect, cooling or gone',
  'journeys.title': 'Lifecycle journeys',
  'journeys.hint': 'One message, at the contact\'s local send time, a number of days after they enter a class; a new order starts over.',
  'journeys.counts': 'Contacts per class',
  'journeys.class': 'Class',
  'journeys.afterDays': 'Days after entering',
  'journeys.rule.second-purchase': 'Second purchase',
  'journeys.rule.care': 'Care',
  'journeys.rule.winback': 'Win-back',
};
