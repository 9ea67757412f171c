import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HolidaysService } from './holidays.service';
import { createHolidayBody, customHolidayView, holidayList, holidaysQuery } from './holidays.schemas';

export function holidaysRoutes(holidays: HolidaysService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/v1/holidays', {
      schema: { tags: ['holidays'], querystring: holidaysQuery, response: { 200: holidayList } },
    }, async (request) => ({ items: await holidays.list(request.query.year, request.query.country) }));

    app.post('/v1/holidays', {
      config: { access: 'marketer' },
      schema: { tags: ['holidays'], body: createHolidayBody, response: { 201: customHolidayView } },
    }, async (request, reply) => reply.code(201).send(await holidays.createCustom(request.body)));
  };
}
