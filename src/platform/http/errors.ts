import type { FastifyError } from 'fastify';
import { Problem, type FieldError } from './problem.js';

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const dotted = (pointer: string | undefined): string => (pointer ?? '').replace(/^\//, '').split('/').filter(Boolean).join('.');
const join = (base: string, name: string): string => (base ? `${base}.${name}` : name);

/** Turns a schema validator's issues into one FieldError per offending field, in words a client developer reads. */
export function fieldErrors(part: string, issues: readonly ValidationIssue[]): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const base = dotted(issue.instancePath);
    const params = issue.params ?? {};
    if (issue.keyword === 'required') {
      const names = (params.requiredProperties ?? (params.missingProperty ? [params.missingProperty] : [])) as string[];
      for (const name of names) out.push({ in: part, field: join(base, name), message: 'is required' });
    } else if (issue.keyword === 'additionalProperties') {
      const names = (params.additionalProperties ?? (params.additionalProperty ? [params.additionalProperty] : [])) as string[];
      for (const name of names) out.push({ in: part, field: join(base, name), message: 'is not a known field' });
    } else {
      out.push({ in: part, field: base, message: issue.message ?? 'is invalid' });
    }
  }
  return out;
}

/** Maps anything thrown while handling a request to the problem the client gets. Unknown errors become a bare 500. */
export function problemFromError(error: FastifyError & { validation?: ValidationIssue[]; validationContext?: string }): Problem {
  if (error instanceof Problem) return error;
  if (error.validation) {
    const part = error.validationContext ?? 'body';
    const errors = fieldErrors(part, error.validation);
    const summary = errors.map((e) => `${e.field || part} ${e.message}`).join('; ');
    // A body that parses but breaks the schema is unprocessable; a bad query or path is a bad request.
    return part === 'body'
      ? new Problem(422, 'validation-failed', `The request body is invalid: ${summary}`, {}, errors)
      : new Problem(400, 'bad-request', `The ${part === 'querystring' ? 'query string' : part} is invalid: ${summary}`, {}, errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, 'unsupported-media-type', `Content-Type ${JSON.stringify(error.message.split(': ').pop() ?? '')} is not supported here; send application/json`);
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'payload-too-large', 'The request body is larger than this server accepts');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem(400, 'malformed-json', 'The body is empty but Content-Type says application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem(400, 'bad-request', 'Content-Length does not match the body');
    default:
      break;
  }
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new Problem(400, 'malformed-json', `The body is not valid JSON: ${error.message}`);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return new Problem(status, status === 429 ? 'rate-limited' : 'bad-request', error.message);
  if (status === 503) return new Problem(503, 'service-unavailable', error.message);
  return new Problem(500, 'internal', 'An unexpected error occurred; it has been logged with this request id');
}
