import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { limitStream, PayloadTooLargeError } from '../../http/request-limits';
import { ValidationError } from '../../shared/errors';
import type { ContactsImporter } from './contacts.import';
import {
  contactIdParams, contactPage, contactView, createContactBody, externalIdParams, importResult, listContactsQuery, patchContactBody,
} from './contacts.schemas';
import type { ContactsService } from './contacts.service';
import { arrayRecords, csvRecords, ndjsonRecords, type ImportRecord } from './import-formats';

const CSV_TYPES = ['text/csv', 'application/csv'];
const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

/**
 * An import body left as the raw request stream (never buffered). `toJSON` keeps the
 * Idempotency-Key hook from serialising the socket: a streamed import is keyed by the key alone.
 */
class StreamedBody {
  constructor(readonly stream: Readable, readonly mediaType: string) {}
  toJSON() {
    return { streamed: this.mediaType };
  }
}

function importRecords(body: unknown): AsyncIterable<ImportRecord> {
  if (body instanceof StreamedBody) return CSV_TYPES.includes(body.mediaType) ? csvRecords(body.stream) : ndjsonRecords(body.stream);
  if (Array.isArray(body)) return arrayRecords(body);
  throw ValidationError.field('Content-Type', 'send text/csv, application/x-ndjson or a JSON array of contacts');
}

/** How big and how slow an upload may be (IMPORT_MAX_BYTES, IMPORT_TIMEOUT_MS). */
export interface ImportLimits {
  maxBytes: number;
  timeoutMs: number;
}

export function contactsRoutes(contacts: ContactsService, importContacts: ContactsImporter, limits: ImportLimits): FastifyPluginAsyncZod {
  return async (app) => {
    // Streamed formats take up to IMPORT_MAX_BYTES (counted as they stream: Fastify only limits
    // bodies it buffers); a JSON array is an ordinary JSON body, within BODY_LIMIT_BYTES.
    for (const mediaType of [...CSV_TYPES, ...NDJSON_TYPES]) {
      app.addContentTypeParser(mediaType, (request, payload, done) => {
        if (Number(request.headers['content-length']) > limits.maxBytes) return done(new PayloadTooLargeError(limits.maxBytes), undefined);
        done(null, new StreamedBody(limitStream(payload, limits.maxBytes), mediaType));
      });
    }
    const tags = ['contacts'];

    app.post('/v1/contacts', {
      config: { access: 'ops' },
      schema: { tags, body: createContactBody, response: { 201: contactView } },
    }, async (request, reply) => reply.code(201).send(await contacts.create(request.body)));

    app.put('/v1/contacts/by-external-id/:externalId', {
      config: { access: 'ops' },
      schema: { tags, params: externalIdParams, body: createContactBody, response: { 200: contactView, 201: contactView } },
    }, async (request, reply) => {
      const { created, contact } = await contacts.upsertByExternalId(request.params.externalId, request.body);
      return reply.code(created ? 201 : 200).send(contact);
    });

    app.post('/v1/contacts/import', {
      config: { access: 'ops', bodyTimeoutMs: limits.timeoutMs },
      schema: {
        tags,
        description: 'CSV (text/csv, header row; tags separated by ";") or NDJSON (application/x-ndjson), streamed and upserted by externalId.',
        response: { 200: importResult },
      },
    }, async (request) => importContacts(importRecords(request.body)));

    app.get('/v1/contacts', {
      schema: { tags, querystring: listContactsQuery, response: { 200: contactPage } },
    }, async (request) => contacts.list(request.query));

    app.get('/v1/contacts/:id', {
      schema: { tags, params: contactIdParams, response: { 200: contactView } },
    }, async (request) => contacts.get(request.params.id));

    app.patch('/v1/contacts/:id', {
      config: { access: 'ops' },
      schema: { tags, params: contactIdParams, body: patchContactBody, response: { 200: contactView } },
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
