/** Words for people, per section type: its label, what it shows, and its fields' labels. */
export interface SectionWords {
  readonly label: string;
  readonly help: string;
  readonly fields?: Readonly<Record<string, string>>;
}

const FUNNEL_FIELDS = {
  funnel: 'Funnel',
  'funnel.identity': 'Whose journey',
  'funnel.includeIntraday': "Include today's intraday data",
  'funnel.scope': 'Count',
  'funnel.type': 'Entry',
  'funnel.window': 'Finish within (like 30m, 2h, 7d)',
  'funnel.steps': 'Steps, in order',
  'funnel.breakdown': 'Break down by',
  'funnel.breakdownLimit': 'Groups shown in the breakdown',
  'funnel.exclusions': 'Exclusions',
  'funnel.timeToConvert': 'Show the time to convert',
  'funnel.timeToConvert.toStep': 'to step (empty: the last)',
  'funnel.trend': 'Show conversion over time',
  'funnel.trend.interval': 'Per',
  'funnel.segments': 'Segments',
  'funnel.nextAction': 'Show what people do instead of the next step',
  'funnel.nextAction.by': 'Counted by',
  'funnel.nextAction.top': 'Actions listed (1 to 10)',
};

const PATH_FIELDS = {
  identity: 'Whose journey',
  scope: 'Journeys per',
  nodeType: 'Each step is',
  start: 'Starting at',
  end: 'Ending at',
  steps: 'Steps shown',
  topK: 'Most travelled per step',
  top: 'Next steps listed per node',
  goal: 'Conversion',
  minSupport: 'Fewest journeys through a node',
  collapseRepeats: 'Count a repeated step once',
  exclude: 'Leave out these events',
  clean: 'Cleaning rules',
  stageMap: 'Stages',
};
const prefixed = (prefix: string, words: Record<string, string>) =>
  Object.fromEntries(Object.entries(words).map(([k, v]) => [`${prefix}.${k}`, v]));

const ATTRIBUTION = {
  touchpoint: 'Touchpoint',
  lookback: 'Lookback (like 30d, at most 90d)',
  model: 'Model',
  top: 'Paths listed',
};

export const SECTION_WORDS: Readonly<Record<string, SectionWords>> = {
  kpi_summary: {
    label: 'Key figures',
    help: 'Users, sessions, conversions and revenue, against the comparison period.',
  },
  data_quality: {
    label: 'Data quality',
    help: 'Which days are complete, intraday or missing, so nobody reads a partial day as a drop.',
  },
  funnel: {
    label: 'Funnel',
    help: 'How many go on from each step to the next: pick the steps from events or saved goals.',
    fields: FUNNEL_FIELDS,
  },
  trended_funnel: {
    label: 'Trended funnel',
    help: 'Conversion to the last step per day or week of entry, against the comparison period.',
    fields: { ...FUNNEL_FIELDS, interval: 'Per' },
  },
  stages: {
    label: 'Journey stages',
    help: 'Progression through the journey stages, time between them and pain points.',
  },
  journey_map: {
    label: 'Journey map',
    help: 'Each stage with its touchpoints, moments of truth and friction, for all users and up to four saved personas.',
    fields: {
      personas: 'Personas beside all users',
      minSupport: 'Fewest users for a moment of truth',
    },
  },
  journey_sankey: {
    label: 'Journeys (Sankey)',
    help: 'The paths people take, step by step, from a start point or towards an end point.',
    fields: prefixed('paths', PATH_FIELDS),
  },
  next_step: {
    label: 'Next step',
    help: 'From each page or event: the chance of converting, and the likeliest next steps.',
    fields: { nodes: 'Nodes listed', ...prefixed('nextStep', PATH_FIELDS) },
  },
  prediction: {
    label: 'Prediction',
    help: "Who converts next, as of the report's last day: the model's backtest against the overall rate and the current step alone, in words and by tenth.",
    fields: {
      predict: 'Prediction',
      'predict.goal': 'Conversion',
      'predict.nodeType': 'Each step is',
      'predict.exclude': 'Leave out these events',
      'predict.stageMap': 'Stages',
      'predict.collapseRepeats': 'Count a repeated step once',
      'predict.maxOrder': 'Steps of history the model reads (1 to 3)',
      'predict.minSupport': 'Fewest journeys behind a context',
      'predict.horizonDays': 'Converting within (days)',
      'predict.trainDays': 'Fitted on the days before (days)',
      'predict.activeDays': 'Users active in the last (days)',
    },
  },
  retention: {
    label: 'Retention',
    help: 'Cohorts by first visit: returning share and repeat conversion.',
    fields: { period: 'Cohort by', periods: 'Number of cohorts' },
  },
  attribution_table: {
    label: 'Attribution',
    help: 'Conversions and revenue credited to each touchpoint, the models side by side.',
    fields: ATTRIBUTION,
  },
  touchpoint_value: {
    label: 'Touchpoint value',
    help: 'What each touchpoint earns against its imported ad cost, by model.',
    fields: ATTRIBUTION,
  },
  conversion_paths: {
    label: 'Conversion paths',
    help: 'The most common sequences of touchpoints before a conversion.',
    fields: ATTRIBUTION,
  },
};

/** How a choice reads on the page; without words here, the value with spaces for underscores. */
export const CHOICE_WORDS: Readonly<Record<string, string>> = {
  user: 'users',
  session: 'sessions',
  closed: 'closed (enter at step 1)',
  open: 'open (enter at any step)',
  blended: 'blended (signed-in users joined across devices)',
  user_id: 'signed-in users only',
  device: 'each device alone',
  first_user_channel: "user's first channel",
};
