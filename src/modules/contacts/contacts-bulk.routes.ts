import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  bulkDeleteBody, bulkOptOutBody, bulkResult, bulkTagBody, contactCount, exportQuery, optOutBody,
} from './contacts-bulk.schemas';
import type { ContactsBulkService } from './contacts-bulk.service';
import { contactIdParams, contactListFilters, contactView } from './contacts.schemas';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The contacts list's count, export and bulk actions, and one contact's opt-out. */
export function contactsBulkRoutes(bulk: ContactsBulkService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['contacts'];

    app.get('/v1/contacts/count', {
      schema: { tags, querystring: contactListFilters, response: { 200: contactCount } },
    }, async (request) => ({ count: await bulk.count(request.query) }));

    app.get('/v1/contacts/export', {
      schema: {
        tags, querystring: exportQuery,
        description: 'The contacts the list filters match, as CSV (UTF-8 with BOM) or XLSX, with the column names the import recognises. Streamed.',
      },
    }, async (request, reply) => {
      const { format, ...filters } = request.query;
      return reply
        .header('content-type', format === 'xlsx' ? XLSX_TYPE : 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="contacts.${format}"`)
        .send(bulk.exportFile(filters, format));
    });

    app.post('/v1/contacts/bulk/tag', {
      config: { access: 'ops' },
      schema: { tags, body: bulkTagBody, response: { 200: bulkResult }, description: 'Adds tags to every selected contact.' },
    }, async (request) => bulk.tag(request.body, request.body.tags));

    app.post('/v1/contacts/bulk/opt-out', {
      config: { access: 'ops' },
      schema: { tags, body: bulkOptOutBody, response: { 200: bulkResult }, description: 'Opts the selected contacts out of the channels (their addresses are suppressed).' },
    }, async (request) => bulk.optOut(request.body, request.body.channels));

    app.post('/v1/contacts/bulk/delete', {
      config: { access: 'ops' },
      schema: {
        tags, body: bulkDeleteBody, response: { 200: bulkResult },
        description: 'Erases the selected contacts when the selection still holds `expectedCount` (the count the user confirmed); 409 otherwise.',
      },
    }, async (request) => bulk.erase(request.body, request.body.expectedCount));

    app.post('/v1/contacts/:id/opt-out', {
      config: { access: 'ops' },
      schema: { tags, params: contactIdParams, body: optOutBody, response: { 200: contactView } },
    }, async (request) => bulk.optOutOne(request.params.id, request.body.channels));
  };
}
