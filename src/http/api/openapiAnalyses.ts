import { body, errors, ok, pathParam, type Json } from './openapiParts.js';

/** Every analysis a viewer may run, and the personas they can be run for. */
export function analysisPaths(): Record<string, Json> {
  return {
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
          "Each active user's current stage and step, top 3 next steps and P(goal within H days), with a backtest against two baselines (viewers too); with `table` (editors only) also written to that table, created or replaced: on BigQuery project.dataset.table, described and labelled with the model and data range",
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
  };
}
