import { body, errors, ok, pathParam, type Json } from './openapiParts.js';

/** Report definitions, their previews and their shared links. */
export function reportPaths(): Record<string, Json> {
  return {
    '/api/reports': { get: { summary: 'List report definitions', responses: ok('Reports') } },
    '/api/reports/preview': {
      post: {
        summary: 'Render an unsaved report definition as HTML (viewers too)',
        requestBody: body({ $ref: '#/components/schemas/Report' }),
        responses: {
          '200': { description: 'The report', content: { 'text/html': {} } },
          ...errors,
        },
      },
    },
    '/api/reports/{id}/preview': {
      get: {
        summary: 'Render a saved report now, as HTML or PDF',
        parameters: [
          pathParam('id', 'Report id'),
          { name: 'format', in: 'query', schema: { type: 'string', enum: ['html', 'pdf'] } },
        ],
        responses: {
          '200': {
            description: 'The report',
            content: { 'text/html': {}, 'application/pdf': {} },
          },
          ...errors,
        },
      },
    },
    '/api/reports/{id}/links': {
      post: {
        summary:
          'Make a shared link (editors): lifetime, the period it opens on, and the ranges the viewer may switch to',
        parameters: [pathParam('id', 'Report id')],
        requestBody: body({
          type: 'object',
          additionalProperties: false,
          properties: {
            ttl: { type: 'string', pattern: '^[1-9][0-9]{0,3}(h|d|w)$', default: '30d' },
            range: {
              description: 'A relative range or { start, end }; default the report’s own',
            },
            ranges: { type: 'array', items: { type: 'string' }, minItems: 1 },
            maxSpanDays: { type: 'integer', minimum: 1, maximum: 366 },
          },
        }),
        responses: {
          '201': {
            description: 'The link (url, pdfUrl, id, expiresAt, range, ranges)',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          ...errors,
        },
      },
      get: {
        summary: 'The report’s shared links: created by, expires, opens, last opened, status',
        parameters: [pathParam('id', 'Report id')],
        responses: ok('The links, newest first'),
      },
    },
    '/api/reports/{id}/links/{linkId}/revoke': {
      post: {
        summary: 'Revoke a shared link (editors): it answers 410 from then on',
        parameters: [pathParam('id', 'Report id'), pathParam('linkId', 'Link id')],
        responses: ok('The revoked link'),
      },
    },
    '/api/reports/{id}': {
      get: {
        summary: 'One report definition',
        parameters: [pathParam('id', 'Report id')],
        responses: ok('The report'),
      },
      put: {
        summary: 'Create or replace a report definition (editors)',
        parameters: [pathParam('id', 'Report id')],
        requestBody: body({ $ref: '#/components/schemas/Report' }),
        responses: ok('The saved report'),
      },
      delete: {
        summary: 'Delete a report definition (editors)',
        parameters: [pathParam('id', 'Report id')],
        responses: { '204': { description: 'Deleted' }, ...errors },
      },
    },
  };
}
