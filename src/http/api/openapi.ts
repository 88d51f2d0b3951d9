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
import { analysisPaths } from './openapiAnalyses.js';
import { deliveryPaths } from './openapiDelivery.js';
import { inventoryPaths } from './openapiInventory.js';
import { type Json, schemaOf } from './openapiParts.js';
import { reportPaths } from './openapiReports.js';

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
      ...inventoryPaths(),
      ...analysisPaths(),
      ...reportPaths(),
      ...deliveryPaths(),
    },
  };
}
