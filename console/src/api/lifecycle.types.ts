import type { Channel, Lifecycle } from './types';

/** GET/PUT /v1/automations/lifecycle (API.md "Care journeys"). */
export interface LifecycleRule {
  key: string;
  enabled: boolean;
  class: 'new' | 'cooling' | 'lapsing' | 'lost' | 'gone';
  afterDays: number;
  channels: Channel[];
  templateKey: string;
  sendAt: string;
  couponBatchId: string | null;
  /** Share of the journey's recipients held out as the control group (0–50). */
  holdoutPercent?: number;
}
export interface LifecycleJourneys {
  key: 'lifecycle';
  rules: LifecycleRule[];
}
export const JOURNEY_CLASSES: LifecycleRule['class'][] = ['new', 'cooling', 'lapsing', 'lost', 'gone'];

/** GET /v1/contacts/lifecycle-counts. */
export interface LifecycleCounts {
  asOf: string;
  counts: Record<Lifecycle, number>;
}
