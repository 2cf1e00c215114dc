/**
 * Errors are values the platform turns into application/problem+json (RFC 9457). One
 * `type` per kind of failure: `/problems/<slug>`, documented at that URL on every instance.
 */
export interface FieldError {
  /** Where the value was: body, query, params or headers. */
  in: string;
  /** Dotted path of the field, e.g. `items.0.quantity`; empty for the whole part. */
  field: string;
  message: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const TITLES: Record<string, string> = {
  'bad-request': 'Bad request',
  'malformed-json': 'Malformed JSON',
  'validation-failed': 'Validation failed',
  unauthorized: 'Authentication required',
  forbidden: 'Forbidden',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  conflict: 'Conflict',
  'payload-too-large': 'Payload too large',
  'unsupported-media-type': 'Unsupported media type',
  'rate-limited': 'Too many requests',
  internal: 'Internal server error',
  'service-unavailable': 'Service unavailable',
};

export const problemTypeUri = (slug: string): string => `/problems/${slug}`;
export const problemTitle = (slug: string): string =>
  TITLES[slug] ?? slug.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
export const knownProblemTypes = (): Record<string, string> => ({ ...TITLES });

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
  }

  toDocument(instance?: string): ProblemDocument {
    return {
      ...this.extensions,
      type: problemTypeUri(this.slug),
      title: problemTitle(this.slug),
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

/** `throw problem(409, 'out-of-stock', 'Only 2 left of SKU-1', { sku, available })` */
export function problem(status: number, slug: string, detail: string, extensions?: Record<string, unknown>): Problem {
  return new Problem(status, slug, detail, extensions);
}
