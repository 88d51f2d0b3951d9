import { z } from 'zod';
import { attributionSpecSchema } from '../../analyses/attribution/attributionSpec.js';
import { funnelSpecSchema } from '../../analyses/funnel/funnelSpec.js';
import { goalSchema } from '../../analyses/goals/goal.js';
import { predictSpecSchema } from '../../analyses/predict/predictSpec.js';
import { nextStepSpecSchema } from '../../analyses/nextStep/nextStepSpec.js';
import { pathsSpecSchema } from '../../analyses/paths/pathsSpec.js';
import { stagesSpecSchema } from '../../analyses/stages/stagesSpec.js';
import { mapSpecSchema } from '../../analyses/map/mapSpec.js';
import { personaSchema } from '../../analyses/personas/personaSpec.js';
import { scheduleSpecSchema } from '../../delivery/scheduleSpec.js';
import { funnelResultSchema } from './funnelResultSchema.js';
import { reportDefinitionSchema } from './reports.js';

type Json = Record<string, unknown>;

/** A zod schema as JSON Schema (the request shape, defaults optional). */
function schemaOf(schema: z.ZodType): Json {
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  } catch {
    return { type: 'object' };
  }
}

const errorRef = { $ref: '#/components/schemas/Error' };
const errors = {
  '400': {
    description: 'Bad input; `field` names the path at fault',
    content: { 'application/json': { schema: errorRef } },
  },
  '401': { description: 'Not signed in', content: { 'application/json': { schema: errorRef } } },
  '403': {
    description: 'A viewer tried to change something, or the CSRF token is missing',
    content: { 'application/json': { schema: errorRef } },
  },
  '404': { description: 'Not found', content: { 'application/json': { schema: errorRef } } },
  '429': {
    description: 'Too many requests',
    content: { 'application/json': { schema: errorRef } },
  },
};
const ok = (description: string, schema: Json = { type: 'object' }) => ({
  '200': { description, content: { 'application/json': { schema } } },
  ...errors,
});
const body = (schema: Json) => ({ required: true, content: { 'application/json': { schema } } });
const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
const dateQuery = (name: string) => ({
  name,
  in: 'query',
  required: true,
  schema: { type: 'string', format: 'date' },
});

/** The JSON API, documented by hand; a test checks every route under /api is here. */
export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pathlight API',
      version: '0.1.0',
      description:
        'Customer-journey analyses on a GA4 export. Authenticate with `Authorization: Bearer <admin token>` on the embedded default, or through Identity-Aware Proxy. Viewers may read and run; editors may change.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }, { iap: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        iap: { type: 'apiKey', in: 'header', name: 'x-goog-iap-jwt-assertion' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                field: { type: 'string' },
              },
            },
          },
        },
        FunnelSpec: schemaOf(funnelSpecSchema),
        FunnelResult: funnelResultSchema,
        Goal: schemaOf(goalSchema),
        PathsSpec: schemaOf(pathsSpecSchema),
        NextStepSpec: schemaOf(nextStepSpecSchema),
        PredictSpec: schemaOf(predictSpecSchema),
        StagesSpec: schemaOf(stagesSpecSchema),
        MapSpec: schemaOf(mapSpecSchema),
        Persona: schemaOf(personaSchema),
        AttributionSpec: schemaOf(attributionSpecSchema),
        ScheduleSpec: schemaOf(scheduleSpecSchema),
        Report: schemaOf(reportDefinitionSchema),
      },
    },
    paths: {
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
      '/api/funnels/run': {
        post: {
          summary: 'Run a funnel (viewers too)',
          requestBody: body({ $ref: '#/components/schemas/FunnelSpec' }),
          responses: ok('Steps, breakdown, time to convert, trend, bytes processed and the SQL', {
            $ref: '#/components/schemas/FunnelResult',
          }),
        },
      },
      '/api/funnels/estimate': {
        post: {
          summary: 'Bytes a funnel would process on BigQuery (a dry run; null on DuckDB)',
          requestBody: body({ $ref: '#/components/schemas/FunnelSpec' }),
          responses: ok('The estimate'),
        },
      },
      '/api/paths/run': {
        post: {
          summary: 'Run a paths analysis (viewers too)',
          requestBody: body({ $ref: '#/components/schemas/PathsSpec' }),
          responses: ok('Steps of nodes and edges'),
        },
      },
      '/api/next-step/run': {
        post: {
          summary: 'Run a next-step analysis (viewers too)',
          requestBody: body({ $ref: '#/components/schemas/NextStepSpec' }),
          responses: ok('Next nodes with conversion estimates'),
        },
      },
      '/api/predict/run': {
        post: {
          summary:
            "Each active user's current stage and step, top 3 next steps and P(goal within H days), with a backtest against two baselines (viewers too)",
          requestBody: body({ $ref: '#/components/schemas/PredictSpec' }),
          responses: ok(
            'Users with predictions; the backtest scores of the model, the overall rate and the first-order chain, calibration tenths and a verdict',
          ),
        },
      },
      '/api/attribution/run': {
        post: {
          summary:
            'Conversion paths of a goal and seven attribution models side by side per touchpoint (viewers too)',
          requestBody: body({ $ref: '#/components/schemas/AttributionSpec' }),
          responses: ok(
            'Conversions and revenue credited per model, Markov removal effects, change against last touch, top paths, path lengths, the rules and lookback used',
          ),
        },
      },
      '/api/stages/run': {
        post: {
          summary: 'Run a stages analysis (viewers too)',
          requestBody: body({ $ref: '#/components/schemas/StagesSpec' }),
          responses: ok('Users per stage, progression, pain points'),
        },
      },
      '/api/map/run': {
        post: {
          summary: 'Run a journey map for all users and up to four personas (viewers too)',
          requestBody: body({ $ref: '#/components/schemas/MapSpec' }),
          responses: ok(
            'Per persona and stage: who, doing, moments of truth, pain points; opportunities; overlap',
          ),
        },
      },
      '/api/personas': { get: { summary: 'List saved personas', responses: ok('Personas') } },
      '/api/personas/{name}': {
        get: {
          summary: 'One persona',
          parameters: [pathParam('name', 'Persona name')],
          responses: ok('The persona'),
        },
        put: {
          summary: 'Create or replace a persona (editors)',
          parameters: [pathParam('name', 'Persona name')],
          requestBody: body({ $ref: '#/components/schemas/Persona' }),
          responses: ok('The saved persona'),
        },
        delete: {
          summary: 'Delete a persona (editors)',
          parameters: [pathParam('name', 'Persona name')],
          responses: { '204': { description: 'Deleted' }, ...errors },
        },
      },
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
      '/api/schedules': { get: { summary: 'List schedules', responses: ok('Schedules') } },
      '/api/schedules/{id}': {
        get: {
          summary: 'One schedule',
          parameters: [pathParam('id', 'Schedule id')],
          responses: ok('The schedule'),
        },
        put: {
          summary: 'Create or replace a schedule (editors); `preset` may stand in for `cron`',
          parameters: [pathParam('id', 'Schedule id')],
          requestBody: body({ $ref: '#/components/schemas/ScheduleSpec' }),
          responses: ok('The saved schedule'),
        },
        delete: {
          summary: 'Delete a schedule (editors)',
          parameters: [pathParam('id', 'Schedule id')],
          responses: { '204': { description: 'Deleted' }, ...errors },
        },
      },
      '/api/schedules/{id}/pause': {
        post: {
          summary: 'Pause a schedule (editors)',
          parameters: [pathParam('id', 'Schedule id')],
          responses: ok('The schedule'),
        },
      },
      '/api/schedules/{id}/resume': {
        post: {
          summary: 'Resume a schedule from now (editors)',
          parameters: [pathParam('id', 'Schedule id')],
          responses: ok('The schedule'),
        },
      },
      '/api/schedules/{id}/send-now': {
        post: {
          summary: 'Send the schedule’s report now to its recipients (editors)',
          parameters: [pathParam('id', 'Schedule id')],
          responses: { '202': { description: 'The run, claimed' }, ...errors },
        },
      },
      '/api/schedules/test-send': {
        post: {
          summary:
            'Send a schedule as given (saved or not) once now, as a test run (editors); body as PUT /api/schedules/{id}, without the id',
          responses: { '202': { description: 'The test run, claimed' }, ...errors },
        },
      },
      '/api/schedules/{id}/runs': {
        get: {
          summary: 'Run history: status, stage durations, errors, per-recipient deliveries',
          parameters: [pathParam('id', 'Schedule id')],
          responses: ok('Runs, newest first'),
        },
      },
      '/api/runs/{id}': {
        get: {
          summary: 'One run',
          parameters: [pathParam('id', 'Run id')],
          responses: ok('The run'),
        },
      },
      '/api/outbox': {
        get: {
          summary:
            'Messages in the embedded outbox folder: one per message, with every recipient its copies went to',
          responses: ok('Messages'),
        },
      },
      '/api/outbox/{file}': {
        get: {
          summary: 'One outbox message as message/rfc822',
          parameters: [pathParam('file', 'The .eml file name')],
          responses: {
            '200': { description: 'The message', content: { 'message/rfc822': {} } },
            ...errors,
          },
        },
      },
    },
  };
}
