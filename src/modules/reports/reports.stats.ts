/**
 * The holdout comparison's arithmetic: conversion of the messaged and the held-out group, the
 * lift, and a 95 % confidence interval for the difference of the two proportions (Wald: normal
 * approximation, unpooled standard error). The approximation is only fair when each group has at
 * least MIN_EXPECTED conversions and non-conversions; below that the verdict is `too-small` and the
 * interval, if any, is not to be read as evidence.
 */
export interface GroupCount {
  size: number;
  converted: number;
}

export type Verdict = 'higher' | 'lower' | 'no-clear-difference' | 'too-small';

export interface Comparison {
  /** Messaged rate − held-out rate (a proportion, e.g. 0.05 = five points). */
  difference: number;
  low: number;
  high: number;
  confidence: number;
  /** Relative lift: difference / held-out rate; null when the held-out rate is 0. */
  lift: number | null;
  verdict: Verdict;
  /** Said so when the groups are too small to conclude anything. */
  note: string | null;
  /** Conversions (exposures that ordered) the message brought beyond what the messaged group would have done anyway: difference × messaged size. */
  extraConverted: number;
}

/** Two-sided 95 %: the normal quantile 0.975. */
const Z_95 = 1.959963984540054;
/** Expected successes and failures each group needs for the normal approximation (the textbook rule of thumb). */
export const MIN_EXPECTED = 5;

const round = (value: number, places = 6) => Math.round(value * 10 ** places) / 10 ** places;

export const rate = (group: GroupCount): number => (group.size > 0 ? group.converted / group.size : 0);

export function compareGroups(messaged: GroupCount, holdout: GroupCount): Comparison | null {
  if (messaged.size === 0 || holdout.size === 0) return null;
  const p1 = rate(messaged);
  const p2 = rate(holdout);
  const difference = p1 - p2;
  const se = Math.sqrt((p1 * (1 - p1)) / messaged.size + (p2 * (1 - p2)) / holdout.size);
  const low = difference - Z_95 * se;
  const high = difference + Z_95 * se;
  const small = [messaged.converted, messaged.size - messaged.converted, holdout.converted, holdout.size - holdout.converted]
    .some((count) => count < MIN_EXPECTED);
  const verdict: Verdict = small ? 'too-small' : low > 0 ? 'higher' : high < 0 ? 'lower' : 'no-clear-difference';
  return {
    difference: round(difference), low: round(low), high: round(high), confidence: 0.95,
    lift: p2 > 0 ? round(difference / p2) : null,
    verdict,
    note: small
      ? `too small to conclude: each group needs at least ${MIN_EXPECTED} customers who ordered and ${MIN_EXPECTED} who did not`
      : null,
    extraConverted: round(difference * messaged.size, 2),
  };
}
