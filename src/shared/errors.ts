/**
 * Domain errors. Services throw these; the HTTP error handler maps each kind to a status and
 * API.md's error shape. Services never know about HTTP status codes.
 */
export interface ErrorDetail {
  /** Dotted path of the offending field, e.g. `phone` or `rows.3.email`. */
  field: string;
  message: string;
  /** Stable machine-readable reason (e.g. `phone_not_mobile`), for clients that show their own text. */
  code?: string;
  /** Where in a source text the problem is (1-based), e.g. a template's syntax error. */
  line?: number;
  column?: number;
}

export type DomainErrorKind =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'payload_too_large'
  | 'rate_limited';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** Machine-readable code when more specific than the kind (e.g. `unknown_variable`). */
    readonly code: string = kind,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends DomainError {
  constructor(details: ErrorDetail[], message = details.map((d) => `${d.field}: ${d.message}`).join('; ')) {
    super('validation_failed', message, details);
  }
  static field(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string, id?: string) {
    super('not_found', id ? `${what} ${id} not found` : `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('conflict', message, details);
  }
}

export class UnprocessableError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = [], code = 'unprocessable') {
    super('unprocessable', message, details, code);
  }
}

/** A body over a size limit; the message names the limit and the setting that raises it. */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('payload_too_large', message, details);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'missing or invalid API key') {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = 'this API key may not do that') {
    super('forbidden', message);
  }
}

export const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  payload_too_large: 413,
  rate_limited: 429,
};
