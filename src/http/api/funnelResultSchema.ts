/** The answer of POST /api/funnels/run (and `pathlight funnel --json`) as JSON Schema. */
const num = { type: 'number' };
const numOrNull = { type: ['number', 'null'] };

const step = {
  type: 'object',
  required: ['name', 'count', 'conversionRate', 'fromPrevious', 'abandonments', 'abandonmentRate'],
  properties: {
    name: { type: 'string' },
    count: { ...num, description: 'Users (or sessions) that reached the step over all attempts' },
    conversionRate: { ...num, description: 'count / step 1 count (a fraction of 1)' },
    fromPrevious: { ...num, description: 'Reached from the previous step / previous step count' },
    abandonments: num,
    abandonmentRate: num,
    medianSecondsFromPrevious: numOrNull,
    meanSecondsFromPrevious: numOrNull,
  },
};

const topLevelStep = {
  ...step,
  properties: {
    ...step.properties,
    nextActions: {
      description:
        'With spec.nextAction (top-level steps only): per unit that reached the step, what came right after its first event ending a valid chain, in its full stream (by event: the next event name; by page: the path of the next page_view); the top values by units, then (other), then (none) for nothing later',
      type: 'array',
      items: {
        type: 'object',
        required: ['value', 'units', 'share', 'reachedNext'],
        properties: {
          value: { type: 'string' },
          units: num,
          share: { ...num, description: 'units / units that reached the step (a fraction of 1)' },
          reachedNext: {
            ...numOrNull,
            description:
              'Of these units, how many reached the next step from this one; null on the last step',
          },
        },
      },
    },
  },
};

const trendStep = {
  type: 'object',
  required: ['name', 'count', 'conversionRate', 'fromPrevious'],
  properties: { name: { type: 'string' }, count: num, conversionRate: num, fromPrevious: num },
};

export const funnelResultSchema = {
  type: 'object',
  required: [
    'unit',
    'steps',
    'breakdown',
    'segments',
    'timeToConvert',
    'trend',
    'bytesProcessed',
    'sql',
  ],
  properties: {
    unit: { enum: ['users', 'sessions'] },
    steps: { type: 'array', items: topLevelStep },
    breakdown: {
      type: 'array',
      items: {
        type: 'object',
        properties: { value: { type: 'string' }, steps: { type: 'array', items: step } },
      },
    },
    segments: {
      description:
        'With spec.segments (up to 4): the funnel within each, in order; a segment is the users (or sessions) with at least one event in the range meeting its event and conditions',
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, steps: { type: 'array', items: step } },
      },
    },
    timeToConvert: {
      description:
        'With spec.timeToConvert: per unit its shortest chain from step 1 to toStep; bins like PostHog (clamp(ceil(cbrt(n)), 1, 60) equal bins from the minimum, the last closed)',
      type: ['object', 'null'],
      properties: {
        toStep: num,
        count: num,
        meanSeconds: numOrNull,
        medianSeconds: numOrNull,
        percentiles: {
          type: 'object',
          description: 'Nearest rank: the value of rank ceil(p n)',
          properties: {
            p25: numOrNull,
            p75: numOrNull,
            p90: numOrNull,
            p95: numOrNull,
            p99: numOrNull,
          },
        },
        bins: {
          type: 'array',
          items: {
            type: 'object',
            properties: { fromSeconds: num, toSeconds: num, count: num },
          },
        },
      },
    },
    trend: {
      description:
        'With spec.trend: every day or Monday-based week of the range; each unit counted once, in the period (event_date) of its first entry, with every step it reached',
      type: ['object', 'null'],
      properties: {
        interval: { enum: ['day', 'week'] },
        periods: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              start: { type: 'string', format: 'date' },
              steps: { type: 'array', items: trendStep },
            },
          },
        },
      },
    },
    bytesProcessed: { ...numOrNull, description: 'Summed over the queries run; null on DuckDB' },
    sql: { type: 'string', description: 'The main funnel query as it ran' },
  },
};
