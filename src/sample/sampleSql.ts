import { EVENTS_SCHEMA, type Field, type RecordField } from '../schema/ga4Schema.js';
import { duckdbType, quoteIdent } from '../schema/duckdbTypes.js';
import { DEVICES, GEOS, HOST, STREAM_ID } from './catalog.js';

/**
 * The SQL that turns the flat staging rows (ev, ses, usr, dict) into nested GA4 rows. Every nested
 * value is built from EVENTS_SCHEMA so field order and types always match the table DDL. Values that
 * are the same for a user or a session (device, geo, traffic sources, session parameters) are built
 * once per user or session, not once per event: that is most of the nesting work.
 */
/**
 * The database the staging tables live in: the writing instance's own in-memory one, which every
 * day writer's connection reads (temporary tables would be one connection's own); the sample file
 * is attached beside it.
 */
export const STAGE = 'memory';

type Values = { [name: string]: string | Values };

const field = (name: string): Field => {
  const found = EVENTS_SCHEMA.find((x) => x.name === name);
  if (!found) throw new Error(`no column ${name} in EVENTS_SCHEMA`);
  return found;
};

/** `struct_pack(...)` with every field of the record in schema order; unnamed fields are NULL. */
export function structExpr(record: RecordField, values: Values): string {
  const parts = record.fields.map((f) => {
    const value = values[f.name];
    if (value === undefined) return `${quoteIdent(f.name)} := NULL::${duckdbType(f)}`;
    if (typeof value === 'string')
      return `${quoteIdent(f.name)} := CAST(${value} AS ${duckdbType(f)})`;
    if (f.type !== 'STRUCT' || f.mode === 'REPEATED') throw new Error(`${f.name} is not a record`);
    return `${quoteIdent(f.name)} := ${structExpr(f, value)}`;
  });
  return `struct_pack(${parts.join(', ')})`;
}

/** The structure argument of `from_json` for a field (lenient: missing keys are NULL). */
export function jsonStructure(f: Field): unknown {
  const base =
    f.type === 'STRUCT'
      ? Object.fromEntries(f.fields.map((x) => [x.name, jsonStructure(x)]))
      : duckdbType({ ...f, mode: 'NULLABLE' });
  return f.mode === 'REPEATED' ? [base] : base;
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const fromJson = (expr: string, f: Field): string =>
  `from_json(${expr}, ${sqlString(JSON.stringify(jsonStructure(f)))})`;

export function smallTablesSql(): string {
  const dev = DEVICES.map(
    ([d], i) =>
      `(${i}, ${[d.category, d.brand, d.model, d.marketing ?? d.model, d.os, d.osVersion, d.browser, d.browserVersion].map(sqlString).join(', ')})`,
  ).join(', ');
  const geo = GEOS.map(
    ([g], i) =>
      `(${i}, ${[g.city, g.country, g.continent, g.region, g.subContinent, g.metro, g.language].map(sqlString).join(', ')})`,
  ).join(', ');
  return `CREATE OR REPLACE TABLE dev AS SELECT * FROM (VALUES ${dev}) t(id, category, brand, model, marketing, os, os_version, browser, browser_version);
CREATE OR REPLACE TABLE geo AS SELECT * FROM (VALUES ${geo}) t(id, city, country, continent, region, sub_continent, metro, language);`;
}

const TSV = `delim='\\t', quote='', escape='', header=false, nullstr='\\N', auto_detect=false`;

const EVENT_COLUMNS = `columns={'sid':'BIGINT','ts':'BIGINT','day':'INTEGER','ed':'VARCHAR','name':'VARCHAR','pl':'INTEGER','pt':'INTEGER','pr':'INTEGER','eng':'BIGINT','engaged':'INTEGER','first':'INTEGER','bidx':'BIGINT','bpage':'BIGINT','bord':'BIGINT','known':'INTEGER','ltv':'DOUBLE','vusd':'DOUBLE','extra':'VARCHAR','items':'VARCHAR','ecom':'VARCHAR'}`;

/** A day's staged events, read straight from its files (one per drawing worker) by its insert. */
export function dayEventsSource(pattern: string): string {
  return `read_csv(${sqlString(pattern)}, ${TSV}, ${EVENT_COLUMNS})`;
}

/**
 * The staged users, sessions and interned strings, into the staging database (the connection's
 * default, so these names stay unqualified); a worker's files are globbed together.
 */
export function loadStagingSql(dir: string): string {
  const file = (name: string): string => sqlString(`${dir}/${name}`);
  return `CREATE OR REPLACE TABLE ses AS SELECT * FROM read_csv(${file('ses-*.tsv')}, ${TSV}, columns={'sid':'BIGINT','uid':'BIGINT','gsid':'BIGINT','snum':'BIGINT','grp':'VARCHAR','source':'VARCHAR','medium':'VARCHAR','campaign':'VARCHAR','cid':'VARCHAR','term':'VARCHAR','content':'VARCHAR','gclid':'VARCHAR','landing':'VARCHAR','referrer':'VARCHAR','tagged':'INTEGER','has_src':'INTEGER','day':'INTEGER'});
CREATE OR REPLACE TABLE usr AS SELECT * FROM read_csv(${file('usr-*.tsv')}, ${TSV}, columns={'uid':'BIGINT','pseudo':'VARCHAR','dev':'INTEGER','geo':'INTEGER','first_touch':'BIGINT','currency':'VARCHAR','granted':'INTEGER','ads':'VARCHAR','user_id':'VARCHAR','ltv':'DOUBLE'});
CREATE OR REPLACE TABLE dict AS SELECT * FROM read_csv(${file('dict-*.tsv')}, ${TSV}, columns={'id':'INTEGER','s':'VARCHAR'});`;
}

const param = (key: string, kind: 'string' | 'int' | 'double', expr: string): string =>
  `{'key': ${sqlString(key)}, 'value': {'string_value': ${kind === 'string' ? `CAST(${expr} AS VARCHAR)` : 'NULL::VARCHAR'}, 'int_value': ${kind === 'int' ? `CAST(${expr} AS BIGINT)` : 'NULL::BIGINT'}, 'float_value': NULL::DOUBLE, 'double_value': ${kind === 'double' ? `CAST(${expr} AS DOUBLE)` : 'NULL::DOUBLE'}}}`;

/** `[params...]` without the ones whose value is NULL (GA4 omits absent parameters). */
const paramList = (params: string[]): string =>
  `list_filter([${params.join(', ')}], x -> x.value.string_value IS NOT NULL OR x.value.int_value IS NOT NULL)`;

const rec = (name: string): RecordField => field(name) as RecordField;

/**
 * Per user (`ux`) and per session (`sx`, sorted by the session's day so a day's insert reads only
 * the sessions around it): every nested value that does not change between a session's events.
 */
export function sessionTablesSql(): string {
  const adsRecord = rec('session_traffic_source_last_click').fields.find(
    (x) => x.name === 'google_ads_campaign',
  ) as RecordField;
  const sessionParams = [
    param('ga_session_id', 'int', 's.gsid'),
    param('ga_session_number', 'int', 's.snum'),
  ];
  const campaignParams = [
    param('source', 'string', 's.source'),
    param('medium', 'string', 's.medium'),
    param('campaign', 'string', 's.campaign'),
    param('campaign_id', 'string', 's.cid'),
    param('term', 'string', 's.term'),
    param('content', 'string', 's.content'),
    param('gclid', 'string', 's.gclid'),
  ];
  const ux = {
    privacy_info: structExpr(rec('privacy_info'), {
      analytics_storage: "CASE WHEN u.granted = 1 THEN 'Yes' ELSE 'No' END",
      ads_storage: 'u.ads',
      uses_transient_token: "CASE WHEN u.granted = 1 THEN 'No' ELSE 'Yes' END",
    }),
    device: structExpr(rec('device'), {
      category: 'd.category',
      mobile_brand_name: 'd.brand',
      mobile_model_name: 'd.model',
      mobile_marketing_name: 'd.marketing',
      operating_system: 'd.os',
      operating_system_version: 'd.os_version',
      language: 'g.language',
      is_limited_ad_tracking: "'No'",
      browser: 'd.browser',
      browser_version: 'd.browser_version',
      web_info: {
        browser: 'd.browser',
        browser_version: 'd.browser_version',
        hostname: sqlString(HOST),
      },
    }),
    geo: structExpr(rec('geo'), {
      city: 'g.city',
      country: 'g.country',
      continent: 'g.continent',
      region: 'g.region',
      sub_continent: 'g.sub_continent',
      metro: 'g.metro',
    }),
    // The user's first acquisition, from the first session.
    traffic_source: structExpr(rec('traffic_source'), {
      name: "coalesce(fs.campaign, '(direct)')",
      medium: "coalesce(fs.medium, '(none)')",
      source: "coalesce(fs.source, '(direct)')",
    }),
  };
  const sx = {
    params: paramList(sessionParams),
    first_params: paramList([...sessionParams, ...campaignParams]),
    collected_traffic_source: `CASE WHEN s.source IS NOT NULL THEN ${structExpr(
      rec('collected_traffic_source'),
      {
        manual_campaign_id: 'CASE WHEN s.tagged = 1 THEN s.cid END',
        manual_campaign_name: 'CASE WHEN s.tagged = 1 THEN s.campaign END',
        manual_source: 's.source',
        manual_medium: 's.medium',
        manual_term: 's.term',
        manual_content: 's.content',
        gclid: 's.gclid',
      },
    )} END`,
    session_traffic_source_last_click: structExpr(rec('session_traffic_source_last_click'), {
      manual_campaign: {
        campaign_id: 's.cid',
        campaign_name: "coalesce(s.campaign, '(direct)')",
        source: "coalesce(s.source, '(direct)')",
        medium: "coalesce(s.medium, '(none)')",
        term: 's.term',
        content: 's.content',
      },
      google_ads_campaign: `CASE WHEN s.gclid IS NOT NULL THEN ${structExpr(adsRecord, {
        customer_id: "'1234567890'",
        account_name: "'Pathlight Shop'",
        campaign_id: 's.cid',
        campaign_name: 's.campaign',
        ad_group_id: "s.cid || '01'",
        ad_group_name: "s.campaign || ' - core'",
      })} END`,
      cross_channel_campaign: {
        campaign_id: 's.cid',
        campaign_name: "coalesce(s.campaign, '(direct)')",
        source: "coalesce(s.source, '(direct)')",
        medium: "coalesce(s.medium, '(none)')",
        default_channel_group: 's.grp',
        primary_channel_group: 's.grp',
      },
    }),
  };
  const cast = (name: string, expr: string): string =>
    `CAST(${expr} AS ${duckdbType(field(name))}) AS ${quoteIdent(name)}`;
  return `CREATE OR REPLACE TABLE ux AS
SELECT u.uid, u.pseudo, u.user_id, u.first_touch, ${Object.entries(ux)
    .map(([name, expr]) => cast(name, expr))
    .join(',\n  ')}
FROM usr u JOIN dev d ON d.id = u.dev JOIN geo g ON g.id = u.geo JOIN ses fs ON fs.sid = u.uid * 64 + 1;
CREATE OR REPLACE TABLE sx AS
SELECT s.sid, s.day, s.landing, s.referrer, ux.*,
  ${paramsType('params', sx.params)},
  ${paramsType('first_params', sx.first_params)},
  ${cast('collected_traffic_source', sx.collected_traffic_source)},
  ${cast('session_traffic_source_last_click', sx.session_traffic_source_last_click)}
FROM ses s JOIN ux ON ux.uid = s.uid
ORDER BY s.day;`;
}

const paramsType = (name: string, expr: string): string =>
  `CAST(${expr} AS ${duckdbType(field('event_params'))}) AS ${name}`;

/** Which columns a day's table has: the export added some over the years (see DAY_COLUMNS_FROM). */
export interface DayColumns {
  intraday: boolean;
  collectedTrafficSource: boolean;
  isActiveUser: boolean;
  batch: boolean;
  sessionLastClick: boolean;
}

/**
 * The SELECT of one day's rows, every column of the export in schema order. The day's columns are
 * constants here (one statement per day), so absent columns cost nothing.
 */
export function daySelectSql(day: number, columns: DayColumns, source: string): string {
  const daily = !columns.intraday;
  const eventParams = paramList([
    param('page_location', 'string', 'coalesce(e.location, s.landing)'),
    param('page_title', 'string', 'e.title'),
    param(
      'page_referrer',
      'string',
      'CASE WHEN e.pr = -1 THEN s.referrer WHEN e.pr >= 0 THEN e.referrer END',
    ),
    param('engagement_time_msec', 'int', 'e.eng'),
    param('session_engaged', 'string', "CASE WHEN e.engaged = 1 THEN '1' END"),
    param('engaged_session_event', 'int', 'CASE WHEN e.engaged = 1 THEN 1 END'),
    // Before the batch_* columns existed these travelled as event parameters.
    ...(columns.batch
      ? []
      : [param('batch_ordering_id', 'int', 'e.bord'), param('batch_page_id', 'int', 'e.bpage')]),
  ]);
  const values: Record<string, string> = {
    event_date: 'e.ed',
    event_timestamp: 'e.ts',
    event_name: 'e.name',
    event_params: `list_concat(CASE WHEN e.first = 1 THEN s.first_params ELSE s.params END, ${eventParams}, coalesce(${fromJson('e.extra', field('event_params'))}, []))`,
    event_previous_timestamp: 'NULL',
    event_value_in_usd: 'e.vusd',
    event_bundle_sequence_id: 'e.bord',
    event_server_timestamp_offset: '(e.ts % 997) * 1000 + 150000',
    user_id: 'CASE WHEN e.known = 1 AND s.pseudo IS NOT NULL THEN s.user_id END',
    user_pseudo_id: 's.pseudo',
    privacy_info: 's.privacy_info',
    user_properties: `[]`,
    user_first_touch_timestamp: 'CASE WHEN s.pseudo IS NOT NULL THEN s.first_touch END',
    user_ltv: daily ? structExpr(rec('user_ltv'), { revenue: 'e.ltv', currency: "'USD'" }) : 'NULL',
    device: 's.device',
    geo: 's.geo',
    app_info: 'NULL',
    traffic_source: daily ? 's.traffic_source' : 'NULL',
    stream_id: sqlString(STREAM_ID),
    platform: "'WEB'",
    event_dimensions: structExpr(rec('event_dimensions'), { hostname: sqlString(HOST) }),
    ecommerce: fromJson('e.ecom', field('ecommerce')),
    items: `coalesce(${fromJson('e.items', field('items'))}, [])`,
    collected_traffic_source: columns.collectedTrafficSource
      ? 'CASE WHEN e.first = 1 THEN s.collected_traffic_source END'
      : 'NULL',
    is_active_user: daily && columns.isActiveUser ? 'true' : 'NULL',
    batch_event_index: columns.batch ? 'e.bidx' : 'NULL',
    batch_page_id: columns.batch ? 'e.bpage' : 'NULL',
    batch_ordering_id: columns.batch ? 'e.bord' : 'NULL',
    session_traffic_source_last_click: columns.sessionLastClick
      ? 's.session_traffic_source_last_click'
      : 'NULL',
    publisher: 'NULL',
    event_original_occurrence_timestamp: 'NULL',
  };
  const select = EVENTS_SCHEMA.map((f) => {
    const expr = values[f.name];
    if (expr === undefined) throw new Error(`sample: no value for column ${f.name}`);
    return `CAST(${expr} AS ${duckdbType(f)}) AS ${quoteIdent(f.name)}`;
  });
  // The page strings are looked up on the narrow staged rows first: left to the optimizer, the
  // lookups came after the session join with the joined rows as the hash side, carrying every
  // nested session value into the hash table, which cost about as much as the rest of the insert.
  // sx is sorted by day, so the filter skips all but the day's row groups; a session's events
  // fall on its own day or the next (or, for an event a moment before it, the day before).
  return `WITH e AS (
  SELECT e.*, dl.s AS location, dt.s AS title, dr.s AS referrer
  FROM ${source} e
  LEFT JOIN ${STAGE}.dict dl ON dl.id = e.pl
  LEFT JOIN ${STAGE}.dict dt ON dt.id = e.pt
  LEFT JOIN ${STAGE}.dict dr ON dr.id = e.pr
)
SELECT ${select.join(',\n  ')}
FROM e
JOIN ${STAGE}.sx s ON s.sid = e.sid AND s.day BETWEEN ${day - 1} AND ${day + 1}`;
}
