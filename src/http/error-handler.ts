import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDataException } from '../db/pg-errors';
import { DomainError, STATUS_BY_KIND, type ErrorDetail } from '../shared/errors';

interface ErrorBody {
  error: { code: string; message: string; details: ErrorDetail[] };
}

const body = (code: string, message: string, details: ErrorDetail[] = []): ErrorBody => ({ error: { code, message, details } });

/** The one place errors become HTTP: domain kinds → status; 5xx never leak internals. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      return reply.code(STATUS_BY_KIND[error.kind]).send(body(error.code, error.message, error.details));
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        field: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].join('.').replace(/^body\./, ''),
        message: issue.message ?? 'invalid',
      }));
      return reply.code(400).send(body('validation_failed', details.map((d) => `${d.field}: ${d.message}`).join('; '), details));
    }
    if (isDataException(error)) {
      // Class 22 (data exception) is bad input that slipped past validation: a 400, not a crash.
      return reply.code(400).send(body('invalid_input', 'a value could not be stored as given'));
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.code(500).send(body('internal', 'internal error'));
    }
    const status = error.statusCode ?? 500;
    if (status === 429) return reply.code(429).send(body('rate_limited', error.message));
    if (status >= 400 && status < 500) {
      return reply.code(status).send(body(clientErrorCode(error), error.message));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send(body('internal', 'internal error'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(body('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );
}

function clientErrorCode(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_REQUEST_TIMEOUT':
      return 'request_timeout';
    default:
      return 'bad_request';
  }
}
