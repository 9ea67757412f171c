import { messageHistory, type HistoryEntry } from '../../src/modules/messages/message-history';
import type { MessageRow } from '../../src/modules/messages/message-rows';

const t0 = new Date('2027-03-10T02:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const row = (fields: Partial<MessageRow>) => ({
  createdAt: t0, queuedAt: t0, sendingAt: null, sentAt: null, provider: null, attempts: 0, historyInEvents: false, ...fields,
}) as MessageRow;
const steps = (entries: HistoryEntry[]) => entries.map((entry) => `${entry.status}:${entry.reason}`);

/** The history GET /v1/messages/:id shows, rebuilt from the row's times and the logged events. */
describe('messageHistory', () => {
  it('tells the happy path from the row alone', () => {
    expect(steps(messageHistory(row({ sendingAt: at(1), sentAt: at(2), provider: 'twilio', attempts: 1 }), []))).toEqual([
      'queued:created; due within the enqueue horizon', 'sending:attempt 1', 'sent:accepted by twilio',
    ]);
  });

  it('puts a promotion, retries and the final attempt in order, even when the clock is pinned', () => {
    const events = [
      { status: 'sending', at: t0, reason: 'attempt 1' }, { status: 'queued', at: t0, reason: 'retry 2/6 after: 503' },
      { status: 'delivered', at: t0, reason: 'provider reported delivered' },
    ];
    const history = messageHistory(row({ queuedAt: t0, createdAt: at(-60), sendingAt: t0, sentAt: t0, provider: 'twilio', attempts: 2 }), events);
    expect(history.map((entry) => entry.status)).toEqual(['scheduled', 'queued', 'sending', 'queued', 'sending', 'sent', 'delivered']);
  });

  it('shows ops marking an unknown message sent once (its event, no provider on the row)', () => {
    const events = [{ status: 'sending', at: at(1), reason: 'attempt 1' }, { status: 'unknown', at: at(2), reason: 'timeout' }, { status: 'sent', at: at(9), reason: 'marked sent by ops' }];
    expect(messageHistory(row({ sentAt: at(9) }), events).map((entry) => entry.status)).toEqual(['queued', 'sending', 'unknown', 'sent']);
  });

  it('shows a row written before the lean path as its events alone', () => {
    const events = [{ status: 'queued', at: t0, reason: 'created' }, { status: 'sending', at: at(1), reason: 'attempt 1' }, { status: 'sent', at: at(2), reason: 'accepted by twilio' }];
    expect(messageHistory(row({ historyInEvents: true, sentAt: at(2), provider: 'twilio' }), events)).toEqual(events);
  });
});
