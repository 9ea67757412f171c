import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { StreamedBody } from '../../http/streamed-body';
import { ValidationError } from '../../shared/errors';
import type { ContactsImporter } from './contacts.import';
import {
  contactFields, contactIdParams, contactPage, contactView, externalIdParams, importResult, listContactsQuery,
} from './contacts.schemas';
import type { ContactsService } from './contacts.service';
import { arrayRecords, csvRecords, ndjsonRecords, type ImportRecord } from './import-formats';

const CSV_TYPES = ['text/csv', 'application/csv'];
const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];
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

function importRecords(body: unknown, maxRowBytes: number): AsyncIterable<ImportRecord> {
  if (body instanceof StreamedBody) {
    return CSV_TYPES.includes(body.mediaType) ? csvRecords(body.stream, maxRowBytes) : ndjsonRecords(body.stream, maxRowBytes);
  }
  if (Array.isArray(body)) return arrayRecords(body);
  throw ValidationError.field('Content-Type', 'send text/csv, application/x-ndjson or a JSON array of contacts');
}

export function contactsRoutes(contacts: ContactsService, importContacts: ContactsImporter, limits: ImportLimits): FastifyPluginAsyncZod {
  return async (app) => {
    const streamLimit = { maxBytes: limits.maxBytes, setting: 'IMPORT_MAX_BYTES' };
    for (const mediaType of [...CSV_TYPES, ...NDJSON_TYPES]) {
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
        description: 'CSV (text/csv, header row; tags separated by ";") or NDJSON (application/x-ndjson), streamed and upserted by externalId. '
          + `Up to IMPORT_MAX_BYTES (default 50 MiB; more → 413, the rows read before the limit stay imported), IMPORT_MAX_ROW_BYTES per row; a JSON array up to ${JSON_IMPORT_MAX_BYTES} bytes.`,
        response: { 200: importResult },
      },
    }, async (request) => importContacts(importRecords(request.body, limits.maxRowBytes)));

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
