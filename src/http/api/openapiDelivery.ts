import { body, errors, ok, pathParam, type Json } from './openapiParts.js';

/** Schedules, their runs and the embedded outbox. */
export function deliveryPaths(): Record<string, Json> {
  return {
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
  };
}
