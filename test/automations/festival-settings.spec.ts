import { createTestContext, type TestContext } from '../support/context';

const FESTIVALS = { enabled: true, channels: ['sms'], templateKey: 'festival', holidays: ['spring-festival', 'mid-autumn'], sendAt: '09:00' };

describe('PUT /v1/automations/festivals', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ now: '2027-03-10T02:00:00Z' });
  });
  afterAll(() => ctx.close());

  const put = async (payload: unknown) =>
    ctx.app.inject({ method: 'PUT', url: '/v1/automations/festivals', headers: await ctx.auth('ops'), payload: payload as object });
  const festivalsOf = async () =>
    (await ctx.app.inject({ method: 'GET', url: '/v1/automations', headers: await ctx.auth('viewer') })).json().items
      .find((item: { key: string }) => item.key === 'festivals');

  it('is off by default and shows what was saved, with a filter or a segment', async () => {
    expect(await festivalsOf()).toMatchObject({ key: 'festivals', enabled: false, templateKey: 'festival', sendAt: '09:00' });
    const saved = await put({ ...FESTIVALS, filter: { tags: ['member'] } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toEqual({ key: 'festivals', ...FESTIVALS, segmentId: null, filter: { tags: ['member'] }, holdoutPercent: 0 });
    expect(await festivalsOf()).toEqual(saved.json());

    const segment = await ctx.app.inject({
      method: 'POST', url: '/v1/segments', headers: await ctx.auth('marketer'), payload: { name: '会员', filter: { tags: ['member'] } },
    });
    const bySegment = await put({ ...FESTIVALS, segmentId: segment.json().id });
    expect(bySegment.json()).toMatchObject({ segmentId: segment.json().id, filter: null });
  });

  it.each([
    ['qingming (not a greeting day)', ['mid-autumn', 'qingming'], /qingming/],
    ['an unknown holiday', ['no-such-day'], /unknown holiday no-such-day/],
  ])('refuses %s with 422 naming holidays', async (_label, holidays, message) => {
    const res = await put({ ...FESTIVALS, holidays });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.details).toEqual([{ field: 'holidays', message: expect.stringMatching(message) }]);
  });

  it.each([
    ['a bad send time', { sendAt: '9:00' }, 'sendAt'],
    ['a holiday twice', { holidays: ['mid-autumn', 'mid-autumn'] }, 'holidays'],
    ['both a segment and a filter', { segmentId: '00000000-0000-4000-8000-000000000000', filter: {} }, 'segmentId'],
    ['no channel', { channels: [] }, 'channels'],
  ])('refuses %s with 400 naming the field', async (_label, change, field) => {
    const res = await put({ ...FESTIVALS, ...change });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('answers 404 for an unknown segment', async () => {
    expect((await put({ ...FESTIVALS, segmentId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });
});
