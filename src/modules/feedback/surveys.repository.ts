import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Channel } from '../../db/schema';
import type { SqlExecutor } from '../messages/outbox.repository';

export interface SurveyRecord {
  id: string;
  messageId: string;
  contactId: string;
  orderId: string | null;
  channel: Channel;
  score: number | null;
  comment: string | null;
  answeredAt: Date | null;
  answeredVia: 'web' | 'sms' | null;
  locale: string;
}

export interface SurveyContact {
  id: string;
  phone: string | null;
  email: string | null;
  timeZone: string;
  locale: string;
  erased: boolean;
}

export interface SentFollowUp {
  messageId: string;
  contactId: string;
  channel: Channel;
  sentAt: Date;
  orderId: string;
  /** The order as the thank-you showed it (`order.*` for the survey's template). */
  order: Record<string, unknown>;
}

export interface SurveyCounts {
  sent: number;
  responses: number;
  satisfied: number;
}

type RawSurvey = {
  id: string; message_id: string; contact_id: string; order_id: string | null; channel: Channel; score: number | null;
  comment: string | null; answered_at: Date | string | null; answered_via: 'web' | 'sms' | null; locale: string | null;
};
const toRecord = (row: RawSurvey): SurveyRecord => ({
  id: row.id, messageId: row.message_id, contactId: row.contact_id, orderId: row.order_id, channel: row.channel, score: row.score,
  comment: row.comment, answeredAt: row.answered_at ? new Date(row.answered_at) : null, answeredVia: row.answered_via, locale: row.locale ?? '',
});
const counts = (row: { sent: string | number; responses: string | number; satisfied: string | number }): SurveyCounts =>
  ({ sent: Number(row.sent), responses: Number(row.responses), satisfied: Number(row.satisfied) });

const SELECT_SURVEY = sql`select s.id, s.message_id, s.contact_id, s.order_id, s.channel, s.score, s.comment, s.answered_at, s.answered_via, c.locale
  from surveys s left join contacts c on c.id = s.contact_id`;

export function createSurveysRepository(db: Db) {
  return {
    /** The survey message and its row commit together. */
    inTransaction: <T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> => db.transaction(work),

    async contact(id: string, executor: SqlExecutor = db): Promise<SurveyContact | undefined> {
      const { rows } = await executor.execute<{ id: string; phone: string | null; email: string | null; time_zone: string; locale: string; erased_at: unknown }>(
        sql`select id, phone, email, time_zone, locale, erased_at from contacts where id = ${id}`);
      const row = rows[0];
      return row && { id: row.id, phone: row.phone, email: row.email, timeZone: row.time_zone, locale: row.locale, erased: row.erased_at !== null };
    },

    async insert(survey: { id: string; messageId: string; contactId: string; orderId: string | null; channel: Channel; at: Date }, executor: SqlExecutor = db) {
      await executor.execute(sql`insert into surveys (id, message_id, contact_id, order_id, channel, created_at)
        values (${survey.id}, ${survey.messageId}, ${survey.contactId}, ${survey.orderId}, ${survey.channel}, ${survey.at})
        on conflict (message_id) do nothing`);
    },

    async find(id: string): Promise<SurveyRecord | undefined> {
      const { rows } = await db.execute<RawSurvey>(sql`${SELECT_SURVEY} where s.id = ${id}`);
      return rows[0] && toRecord(rows[0]);
    },

    /** Records the answer only if none was given: answers the updated survey, or undefined when it already had one. */
    async answer(id: string, answer: { score: number; comment: string | null; via: 'web' | 'sms'; at: Date }): Promise<SurveyRecord | undefined> {
      const { rows } = await db.execute<RawSurvey>(sql`
        with answered as (
          update surveys set score = ${answer.score}, comment = ${answer.comment}, answered_at = ${answer.at}, answered_via = ${answer.via}
          where id = ${id} and answered_at is null returning *
        )
        select s.id, s.message_id, s.contact_id, s.order_id, s.channel, s.score, s.comment, s.answered_at, s.answered_via, c.locale
        from answered s left join contacts c on c.id = s.contact_id`);
      return rows[0] && toRecord(rows[0]);
    },

    /** The contact's latest unanswered survey that went out within `windowMs` before `at`. */
    async awaitingAnswer(contactId: string, at: Date, windowMs: number): Promise<SurveyRecord | undefined> {
      const { rows } = await db.execute<RawSurvey>(sql`${SELECT_SURVEY}
        join messages m on m.id = s.message_id
        where s.contact_id = ${contactId} and s.answered_at is null
          and m.sent_at is not null and m.sent_at <= ${at} and m.sent_at >= ${new Date(at.getTime() - windowMs)}
        order by m.sent_at desc limit 1`);
      return rows[0] && toRecord(rows[0]);
    },

    /**
     * First-order thank-yous sent in (from, to] (partial index on their sent_at) whose order has no
     * survey on that channel yet: the survey's dedupe key is checked through its unique index.
     */
    async followUpsSent(window: { from: Date; to: Date; channels: Channel[]; after?: { sentAt: Date; id: string } }, limit: number): Promise<SentFollowUp[]> {
      const { from, to, channels, after } = window;
      const { rows } = await db.execute<{ id: string; contact_id: string; channel: Channel; sent_at: Date | string; order_id: string; order: Record<string, unknown> | null }>(sql`
        select m.id, m.contact_id, m.channel, m.sent_at, o.id as order_id, m.data->'order' as order from messages m
        join orders o on o.external_id = m.data->'order'->>'externalId'
        join contacts c on c.id = m.contact_id and c.erased_at is null
        where m.kind = 'first-order' and m.sent_at is not null and m.sent_at > ${from} and m.sent_at <= ${to}
          and m.channel = any(${`{${channels.join(',')}}`}::text[])
          and (case when m.channel = 'sms' then c.phone else c.email end) is not null
          ${after ? sql`and (m.sent_at, m.id) > (${after.sentAt}::timestamptz, ${after.id}::uuid)` : sql``}
          and not exists (select 1 from messages s where s.dedupe_key = 'survey:' || o.id::text || ':' || m.channel)
        order by m.sent_at, m.id limit ${limit}`);
      return rows.map((row) => ({
        messageId: row.id, contactId: row.contact_id, channel: row.channel, sentAt: new Date(row.sent_at), orderId: row.order_id, order: row.order ?? {},
      }));
    },

    /**
     * c = b / a in SQL: surveys whose message went out in [from, to), by week (Monday, in `zone`) and
     * by channel. `sent`: went out; `responses`: answered; `satisfied`: scored 4–5.
     */
    async counts(from: Date, to: Date, zone: string, satisfied: number) {
      const base = sql`from surveys s join messages m on m.id = s.message_id
        where m.sent_at is not null and m.sent_at >= ${from} and m.sent_at < ${to}`;
      const measures = sql`count(*) as sent, count(s.answered_at) as responses, count(*) filter (where s.score >= ${satisfied}) as satisfied`;
      const [total, byWeek, byChannel] = await Promise.all([
        db.execute<{ sent: string; responses: string; satisfied: string }>(sql`select ${measures} ${base}`),
        db.execute<{ week: string; sent: string; responses: string; satisfied: string }>(sql`
          select to_char(date_trunc('week', m.sent_at at time zone ${zone}), 'YYYY-MM-DD') as week, ${measures} ${base}
          group by 1 order by 1`),
        db.execute<{ channel: Channel; sent: string; responses: string; satisfied: string }>(sql`
          select s.channel, ${measures} ${base} group by 1 order by 1`),
      ]);
      return {
        total: counts(total.rows[0] ?? { sent: 0, responses: 0, satisfied: 0 }),
        byWeek: byWeek.rows.map((row) => ({ week: row.week, ...counts(row) })),
        byChannel: byChannel.rows.map((row) => ({ channel: row.channel, ...counts(row) })),
      };
    },
  };
}
export type SurveysRepository = ReturnType<typeof createSurveysRepository>;
