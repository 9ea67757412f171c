import { statusMove } from '../../src/modules/orders/order-status';

describe('order status moves', () => {
  it.each([
    ['placed', 'paid'], ['placed', 'signed'], ['paid', 'shipped'], ['shipped', 'delivered'], ['delivered', 'signed'],
    ['placed', 'cancelled'], ['signed', 'refunded'], ['cancelled', 'refunded'], ['refunded', 'cancelled'],
  ] as const)('lets %s move to %s', (from, to) => {
    expect(statusMove(from, to)).toEqual({ kind: 'forward' });
  });

  it.each([
    ['paid', 'placed'], ['signed', 'shipped'], ['delivered', 'paid'], ['cancelled', 'paid'], ['refunded', 'signed'], ['cancelled', 'placed'],
  ] as const)('refuses %s → %s, saying why', (from, to) => {
    const move = statusMove(from, to);
    expect(move.kind).toBe('refused');
    expect(move.kind === 'refused' && move.reason).toContain(to);
  });

  it('treats the same status again as no move, and a stored pre-journey status as placed', () => {
    expect(statusMove('shipped', 'shipped')).toEqual({ kind: 'same' });
    expect(statusMove('completed', 'paid')).toEqual({ kind: 'forward' });
    expect(statusMove('completed', 'placed').kind).toBe('refused');
  });
});
