import { knownProblemTypes, problemTypeUri } from './problem.js';

interface OpenApiDocument {
  paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  components?: { schemas?: Record<string, unknown> };
  [key: string]: unknown;
}

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: `Stable problem type, e.g. ${problemTypeUri('validation-failed')}`, examples: Object.keys(knownProblemTypes()).map(problemTypeUri) },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['in', 'field', 'message'], properties: { in: { type: 'string' }, field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/** Every operation can fail with a problem document; say so once instead of in every route. */
export function addProblemResponses(document: OpenApiDocument): OpenApiDocument {
  const problemResponse = { description: 'Problem details', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      operation.responses = { ...operation.responses, '4XX': problemResponse, '5XX': problemResponse };
    }
  }
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
  return document;
}
