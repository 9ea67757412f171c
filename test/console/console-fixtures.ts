import type { TestContext } from '../support/context';

type Role = 'admin' | 'ops' | 'marketer' | 'viewer';

async function post(ctx: TestContext, role: Role, url: string, payload: object) {
  const res = await ctx.app.inject({ method: 'POST', url, headers: await ctx.auth(role), payload });
  if (res.statusCode >= 300) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
  return res.json();
}

/** A raw API key for a role (the console signs in with keys, not with headers). */
export async function keyFor(ctx: TestContext, role: Role): Promise<string> {
  return (await ctx.auth(role)).authorization.replace(/^Bearer /, '');
}

/** A small shop: VIP customers in Shanghai, one of them opted out of SMS, plus a VIP segment. */
export async function seedShop(ctx: TestContext) {
  const contacts = [];
  for (const [name, phone, tags, consent] of [
    ['王小明', '+8613800138001', ['vip'], { sms: true, email: true }],
    ['李娜', '+8613800138002', ['vip'], { sms: true, email: true }],
    ['Emily Chen', '+8613800138003', ['newsletter'], { sms: true, email: true }],
    ['赵雷', '+8613800138004', ['vip'], { sms: false, email: true }],
  ] as const) {
    contacts.push(await post(ctx, 'ops', '/v1/contacts', {
      name, phone, tags, consent, email: `${phone.slice(-4)}@example.com`, timeZone: 'Asia/Shanghai', birthday: '1990-09-20', tier: 'gold',
    }));
  }
  const segment = await post(ctx, 'marketer', '/v1/segments', { name: 'VIP 短信', filter: { tags: ['vip'], channel: 'sms' } });
  return { contacts, segment };
}
