import { sql } from 'drizzle-orm';
import { FixedClock } from '../src/time/clock';
import { createBenchEnv, envInt, fmt, machineLine, runBench } from './support/bench-env';
import { count, seedContacts } from './support/seed';

const DAY_MS = 86_400_000;

/**
 * Bench 12 — the satisfaction-survey tick (`after: first-order-follow-up`) over 1,000,000 contacts
 * (`BENCH_CONTACTS`), each with its first order and thank-you spread over two years, so the last
 * three days (the tick's look-back) hold ~1/240 of them; a fifth went by e-mail, which the survey
 * (SMS only) leaves out. Measured: the tick that stages the surveys of those three days, then an
 * ordinary one-minute tick with nothing left to do (the cost paid every minute). The baseline, on the
 * same rows: the bare scan of the thank-yous sent in those three days (the partial index on sent_at).
 */
async function main(): Promise<void> {
  const contacts = envInt('BENCH_CONTACTS', 1_000_000);
  const clock = new FixedClock('2027-03-10T08:00:00Z');
  const env = await createBenchEnv({ clock });
  try {
    await seedContacts(env.db, contacts, { email: true });
    const now = clock.now();
    const sentAt = sql`${now}::timestamptz - ((hashtext(c.id::text) & 2147483647) % (730 * 86400)) * interval '1 second'`;
    await env.db.execute(sql`insert into orders (external_id, contact_id, amount, currency, placed_at, status)
      select 'fo-' || c.external_id, c.id, 99, 'CNY', ${sentAt} - interval '7 days', 'placed' from contacts c`);
    await env.db.execute(sql`insert into messages (dedupe_key, contact_id, channel, kind, status, scheduled_at, sent_at, data)
      select 'first-order:' || c.id, c.id, case when hashtext(c.id::text || 'ch') % 5 = 0 then 'email' else 'sms' end, 'first-order', 'sent',
        ${sentAt}, ${sentAt}, jsonb_build_object('order', jsonb_build_object('externalId', 'fo-' || c.external_id))
      from contacts c`);
    await env.db.execute(sql`analyze contacts; analyze orders; analyze messages`);
    await env.services.feedback.surveys.putSettings({
      enabled: true, channels: ['sms'], templateKey: 'survey', after: 'first-order-follow-up', delayDays: 2, sendAt: '10:00',
    });

    const from = new Date(now.getTime() - 3 * DAY_MS);
    const scanStarted = process.hrtime.bigint();
    const window = await count(env.db, sql`select count(*) as n from messages m
      where m.kind = 'first-order' and m.sent_at is not null and m.sent_at > ${from} and m.sent_at <= ${now}`);
    const scanSeconds = Number(process.hrtime.bigint() - scanStarted) / 1e9;

    let made = 0;
    let ticks = 0;
    const started = process.hrtime.bigint();
    // A tick takes up to 10,000 thank-yous; a larger window is finished by the following ticks.
    for (;;) {
      const staged = await env.services.feedback.surveys.scheduleDue(now);
      ticks++;
      made += staged;
      if (!staged) break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const idleStarted = process.hrtime.bigint();
    await env.services.feedback.surveys.scheduleDue(new Date(now.getTime() + 60_000));
    const idleSeconds = Number(process.hrtime.bigint() - idleStarted) / 1e9;

    console.log(`[bench survey-tick] ${machineLine()}`);
    console.log(`  contacts: ${fmt(contacts)}, one first order and thank-you each over 730 days (a fifth by e-mail); surveys by SMS, after the thank-you`);
    console.log(`  catch-up: ${fmt(window)} thank-yous in the 3-day look-back → ${fmt(made)} surveys staged in ${ticks} ticks, ${fmt(seconds * 1000)} ms`);
    console.log(`  next (one-minute) tick, nothing to do: ${fmt(idleSeconds * 1000, 1)} ms`);
    console.log(`  baseline, bare count of the look-back's thank-yous: ${fmt(scanSeconds * 1000, 1)} ms`);
    console.log(`  ratio: the idle tick takes ${fmt(idleSeconds / scanSeconds, 1)}× the bare count; staging costs ${fmt((seconds * 1000) / Math.max(made, 1), 2)} ms a survey`);
    console.log(`  surveys: ${fmt(await count(env.db, sql`select count(*) as n from surveys`))}`);
  } finally {
    await env.close();
  }
}

runBench(main);
