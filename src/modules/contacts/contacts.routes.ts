import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { StreamedBody } from '../../http/streamed-body';
import type { ContactsImporter } from './contacts.import';
import {
  contactFields, contactIdParams, contactPage, contactView, externalIdParams, importPreview, importQuery, importResult, listContactsQuery,
} from './contacts.schemas';
import type { ContactsService } from './contacts.service';
import { sampleCsv, SAMPLE_CSV_NAME } from './import-sample';
import { CSV_TYPES, NDJSON_TYPES, openImport, previewImport, XLSX_TYPE } from './import-upload';
/** A JSON array import is parsed whole before the route sees it: it gets an ordinary JSON body's limit, not the upload's. */
const JSON_IMPORT_MAX_BYTES = 1024 * 1024;

export interface ImportLimits {
  /** IMPORT_MAX_BYTES: a CSV/NDJSON body is a stream, metered as it is read (Fastify's bodyLimit does not see it). */
  maxBytes: number;
  /** IMPORT_MAX_ROW_BYTES: longest CSV record or NDJSON line. */
  maxRowBytes: number;
  /** IMPORT_TIMEOUT_MS: how long the upload may take to arrive (slower → 408). */
  timeoutMs: number;
}

export function contactsRoutes(contacts: ContactsService, importContacts: ContactsImporter, limits: ImportLimits): FastifyPluginAsyncZod {
  return async (app) => {
    const streamLimit = { maxBytes: limits.maxBytes, setting: 'IMPORT_MAX_BYTES' };
    for (const mediaType of [...CSV_TYPES, ...NDJSON_TYPES, XLSX_TYPE]) {
      app.addContentTypeParser(mediaType, (request, payload, done) => {
        try {
          done(null, StreamedBody.open(payload, mediaType, request.headers['content-length'], streamLimit));
        } catch (error) {
          done(error as Error, undefined);
        }
      });
    }
    // Answered before its end (413, a refused header, an idempotent replay): the client may still be
    // sending what will never be read, so the connection ends with the answer instead of draining it.
    app.addHook('onSend', async (request, reply) => {
      if (request.body instanceof StreamedBody && request.body.unread) reply.header('connection', 'close');
    });
    const tags = ['contacts'];

    app.post('/v1/contacts', {
      config: { access: 'ops' },
      schema: { tags, body: contactFields, response: { 201: contactView } },
    }, async (request, reply) => reply.code(201).send(await contacts.create(request.body)));

    app.put('/v1/contacts/by-external-id/:externalId', {
      config: { access: 'ops' },
      schema: { tags, params: externalIdParams, body: contactFields, response: { 200: contactView, 201: contactView } },
    }, async (request, reply) => {
      const { created, contact } = await contacts.upsertByExternalId(request.params.externalId, request.body);
      return reply.code(created ? 201 : 200).send(contact);
    });

    app.post('/v1/contacts/import', {
      config: { access: 'ops', bodyTimeoutMs: limits.timeoutMs },
      bodyLimit: JSON_IMPORT_MAX_BYTES,
      schema: {
        tags,
        querystring: importQuery,
        description: 'CSV (text/csv; UTF-8 with or without BOM, GBK/GB18030 detected, or ?encoding=) or XLSX (first sheet), header row '
          + 'recognised (姓名/手机号/生日/农历生日/性别/标签/会员等级/外部编号… or the API field names), ?mapping={"header":"field"} to override, '
          + '?keepUnknown=true to keep other columns as attributes; or NDJSON (application/x-ndjson). Streamed (XLSX read whole) and upserted by externalId. '
          + `Up to IMPORT_MAX_BYTES (default 50 MiB; more → 413, the rows read before the limit stay imported), IMPORT_MAX_ROW_BYTES per row; a JSON array up to ${JSON_IMPORT_MAX_BYTES} bytes.`,
        response: { 200: importResult },
      },
    }, async (request) => {
      const opened = await openImport(request.body, request.query, request.headers['content-type'], limits.maxRowBytes);
      const result = await importContacts(opened.records);
      return { ...result, ...opened.extras() };
    });

    app.post('/v1/contacts/import/preview', {
      config: { access: 'ops', bodyTimeoutMs: limits.timeoutMs },
      schema: {
        tags,
        querystring: importQuery,
        description: 'The mapping step: the same body and query as the import; answers the headers, the mapping the import would use and the first rows. Imports nothing.',
        response: { 200: importPreview },
      },
    }, async (request) => previewImport(request.body, request.query, request.headers['content-type'], limits.maxRowBytes));

    app.get('/v1/contacts/import/sample.csv', {
      schema: { tags, description: 'A sample CSV with the recognised Chinese headers (UTF-8 with BOM, opens in Excel).' },
    }, async (_request, reply) => reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${SAMPLE_CSV_NAME}"`)
      .send(sampleCsv()));

    app.get('/v1/contacts', {
      schema: { tags, querystring: listContactsQuery, response: { 200: contactPage } },
    }, async (request) => contacts.list(request.query));

    app.get('/v1/contacts/:id', {
      schema: { tags, params: contactIdParams, response: { 200: contactView } },
    }, async (request) => contacts.get(request.params.id));

    app.patch('/v1/contacts/:id', {
      config: { access: 'ops' },
      schema: { tags, params: contactIdParams, body: contactFields, response: { 200: contactView } },
    }, async (request) => contacts.patch(request.params.id, request.body));

    app.delete('/v1/contacts/:id', {
      config: { access: 'ops' },
      schema: { tags, params: contactIdParams },
    }, async (request, reply) => {
      await contacts.erase(request.params.id);
      return reply.code(204).send();
    });
  };
}
