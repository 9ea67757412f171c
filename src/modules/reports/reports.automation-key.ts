import { sql } from 'drizzle-orm';

/** The automation a message belongs to, as the reports name it (`GET /v1/reports/automations/:key`). */
export const automationKeySql = sql`case
  when m.kind = 'birthday' then 'birthday'
  when m.kind = 'first-order' then 'first-order-follow-up'
  when m.kind = 'festival' then 'festivals'
  when m.kind = 'order' then 'order-notices'
  when m.dedupe_key like 'lifecycle:%' then 'lifecycle:' || split_part(m.dedupe_key, ':', 2)
  else m.kind end`;
