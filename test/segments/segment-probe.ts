import type { TestContext } from '../support/context';

/** Creates a segment with `filter` through the API and answers the names its preview finds, sorted. */
export async function namesMatching(ctx: TestContext, headers: { authorization: string }, filter: Record<string, unknown>): Promise<string[]> {
  const created = await ctx.app.inject({ method: 'POST', url: '/v1/segments', headers, payload: { name: 'probe', filter } });
  expect(created.statusCode).toBe(201);
  const preview = await ctx.app.inject({ method: 'GET', url: `/v1/segments/${created.json().id}/preview`, headers });
  if (preview.statusCode !== 200) throw new Error(preview.body);
  const body = preview.json();
  expect(body.count).toBe(body.sample.length);
  return body.sample.map((contact: { name: string }) => contact.name).sort();
}
