/* global module */
/**
 * The layers of src/, lowest first: a module imports only from its own layer or lower ones, so
 * data flows one way. Doors (http, cli, scheduler) never import each other; only main/ (the
 * composition root) sees them all. CONTRIBUTING.md says what belongs in each layer.
 */
const LAYERS = [
  ['errors', 'schema', 'config'],
  ['engines'],
  ['sql', 'ga4'],
  ['importer', 'sample'],
  ['analyses'],
  ['render'],
  ['reports'],
  ['email', 'delivery', 'links'],
  ['store'],
  ['app'],
  ['http', 'cli', 'scheduler'],
  ['main'],
];

const dir = (names) => `^src/(${names.join('|')})/`;

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join('-')}`,
  comment: `${layer.join(', ')} may not import a higher layer (${LAYERS.slice(i + 1)
    .flat()
    .join(', ')})`,
  severity: 'error',
  from: { path: dir(layer) },
  to: { path: dir(LAYERS.slice(i + 1).flat()) },
}));

const DOORS = ['http', 'cli', 'scheduler'];
const doorToDoor = DOORS.map((door) => ({
  name: `door-${door}`,
  comment: `${door} is a door: it calls use-cases, never another door`,
  severity: 'error',
  from: { path: dir([door]) },
  to: { path: dir(DOORS.filter((d) => d !== door)) },
}));

module.exports = {
  forbidden: [
    ...upward,
    ...doorToDoor,
    {
      name: 'no-cycles',
      comment: 'modules do not import each other in a circle',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'unlayered',
      comment: 'every folder of src/ has a layer in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^src/', pathNot: dir(LAYERS.flat()) },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type is as much a dependency as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
