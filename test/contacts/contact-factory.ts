import { randomInt, randomUUID } from 'node:crypto';
import type { TestContext } from '../support/context';

let sequence = 0;

/** A CN mobile number in national form, different on every call. */
export const cnMobile = (): string => `139${String(randomInt(0, 1e8)).padStart(8, '0')}`;

/** A minimal valid contact body; each call is a different person. */
export function contactBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence++;
  return { externalId: `ext-${randomUUID()}`, name: `Contact ${sequence}`, phone: cnMobile(), ...overrides };
}

/** POSTs a contact as ops and returns the response (status and JSON). */
export async function postContact(ctx: TestContext, body: Record<string, unknown>) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/contacts', headers: await ctx.auth('ops'), payload: body });
  return { status: res.statusCode, body: res.json() };
}

/** Creates a contact and returns its view; fails the test when the API refuses it. */
export async function createContact(ctx: TestContext, overrides: Record<string, unknown> = {}) {
  const res = await postContact(ctx, contactBody(overrides));
  if (res.status !== 201) throw new Error(`contact not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
