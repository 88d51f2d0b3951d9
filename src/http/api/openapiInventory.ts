import { body, dateQuery, errors, ok, pathParam, type Json } from './openapiParts.js';

/** Who is signed in, this document, the event inventory and the goals. */
export function inventoryPaths(): Record<string, Json> {
  return {
    '/api/openapi.json': { get: { summary: 'This document', responses: ok('OpenAPI 3.1') } },
    '/api/me': {
      get: {
        summary: 'Who is signed in, with role and CSRF token',
        responses: ok('The principal'),
      },
    },
    '/api/events': {
      get: {
        summary:
          'Events recorded in a date range: counts, parameter keys with top values, daily trend',
        parameters: [
          dateQuery('from'),
          dateQuery('to'),
          { name: 'trend', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } },
        ],
        responses: ok('The event inventory'),
      },
    },
    '/api/goals': { get: { summary: 'List goals', responses: ok('Goals') } },
    '/api/goals/preview': {
      post: {
        summary:
          'A goal’s daily conversions (users reaching it per day) before saving; viewers too',
        requestBody: body({
          type: 'object',
          description: 'A goal (name optional) plus dateRange {start, end}, at most 31 days',
        }),
        responses: ok('Days with units'),
      },
    },
    '/api/goals/{name}': {
      get: {
        summary: 'One goal',
        parameters: [pathParam('name', 'Goal name')],
        responses: ok('The goal'),
      },
      put: {
        summary: 'Create or replace a goal (editors)',
        parameters: [pathParam('name', 'Goal name')],
        requestBody: body({ $ref: '#/components/schemas/Goal' }),
        responses: ok('The saved goal'),
      },
      delete: {
        summary: 'Delete a goal (editors)',
        parameters: [pathParam('name', 'Goal name')],
        responses: { '204': { description: 'Deleted' }, ...errors },
      },
    },
  };
}
