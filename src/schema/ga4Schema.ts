/**
 * The GA4 BigQuery export table `events_YYYYMMDD`, defined once, in the shape BigQuery's own
 * table schema uses (name, type, mode, nested fields). The DuckDB DDL, the importer's row
 * checks and the ZetaSQL catalog are all derived from this one definition.
 */

export type ScalarType = 'STRING' | 'INT64' | 'FLOAT64' | 'BOOL';

export interface ScalarField {
  readonly name: string;
  readonly type: ScalarType;
  readonly mode: 'NULLABLE' | 'REPEATED';
}

export interface RecordField {
  readonly name: string;
  readonly type: 'STRUCT';
  readonly mode: 'NULLABLE' | 'REPEATED';
  readonly fields: readonly Field[];
}

export type Field = ScalarField | RecordField;

const s = (name: string): ScalarField => ({ name, type: 'STRING', mode: 'NULLABLE' });
const i = (name: string): ScalarField => ({ name, type: 'INT64', mode: 'NULLABLE' });
const f = (name: string): ScalarField => ({ name, type: 'FLOAT64', mode: 'NULLABLE' });
const b = (name: string): ScalarField => ({ name, type: 'BOOL', mode: 'NULLABLE' });
const rec = (name: string, fields: Field[]): RecordField => ({
  name,
  type: 'STRUCT',
  mode: 'NULLABLE',
  fields,
});
const repeated = (name: string, fields: Field[]): RecordField => ({
  name,
  type: 'STRUCT',
  mode: 'REPEATED',
  fields,
});
const strings = (...names: string[]): ScalarField[] => names.map(s);

/** key + typed value, as in event_params and item_params. */
const paramValue = (): RecordField =>
  rec('value', [s('string_value'), i('int_value'), f('float_value'), f('double_value')]);

export const EVENTS_SCHEMA: readonly Field[] = [
  s('event_date'),
  i('event_timestamp'),
  s('event_name'),
  repeated('event_params', [s('key'), paramValue()]),
  i('event_previous_timestamp'),
  f('event_value_in_usd'),
  i('event_bundle_sequence_id'),
  i('event_server_timestamp_offset'),
  s('user_id'),
  s('user_pseudo_id'),
  rec('privacy_info', strings('analytics_storage', 'ads_storage', 'uses_transient_token')),
  repeated('user_properties', [
    s('key'),
    rec('value', [
      s('string_value'),
      i('int_value'),
      f('float_value'),
      f('double_value'),
      i('set_timestamp_micros'),
    ]),
  ]),
  i('user_first_touch_timestamp'),
  rec('user_ltv', [f('revenue'), s('currency')]),
  rec('device', [
    ...strings(
      'category',
      'mobile_brand_name',
      'mobile_model_name',
      'mobile_marketing_name',
      'mobile_os_hardware_model',
      'operating_system',
      'operating_system_version',
      'vendor_id',
      'advertising_id',
      'language',
      // Documented as BOOL, exported as STRING ("No"/"Yes").
      'is_limited_ad_tracking',
    ),
    i('time_zone_offset_seconds'),
    s('browser'),
    s('browser_version'),
    rec('web_info', strings('browser', 'browser_version', 'hostname')),
  ]),
  rec('geo', strings('city', 'country', 'continent', 'region', 'sub_continent', 'metro')),
  rec('app_info', strings('id', 'version', 'install_store', 'firebase_app_id', 'install_source')),
  rec('traffic_source', strings('name', 'medium', 'source')),
  s('stream_id'),
  s('platform'),
  rec('event_dimensions', [s('hostname')]),
  rec('ecommerce', [
    i('total_item_quantity'),
    f('purchase_revenue_in_usd'),
    f('purchase_revenue'),
    f('refund_value_in_usd'),
    f('refund_value'),
    f('shipping_value_in_usd'),
    f('shipping_value'),
    f('tax_value_in_usd'),
    f('tax_value'),
    i('unique_items'),
    s('transaction_id'),
  ]),
  repeated('items', [
    ...strings(
      'item_id',
      'item_name',
      'item_brand',
      'item_variant',
      'item_category',
      'item_category2',
      'item_category3',
      'item_category4',
      'item_category5',
    ),
    f('price_in_usd'),
    f('price'),
    i('quantity'),
    f('item_revenue_in_usd'),
    f('item_revenue'),
    f('item_refund_in_usd'),
    f('item_refund'),
    ...strings(
      'coupon',
      'affiliation',
      'location_id',
      'item_list_id',
      'item_list_name',
      'item_list_index',
      'promotion_id',
      'promotion_name',
      'creative_name',
      'creative_slot',
    ),
    repeated('item_params', [s('key'), paramValue()]),
  ]),
  rec(
    'collected_traffic_source',
    strings(
      'manual_campaign_id',
      'manual_campaign_name',
      'manual_source',
      'manual_medium',
      'manual_term',
      'manual_content',
      'manual_source_platform',
      'manual_creative_format',
      'manual_marketing_tactic',
      'gclid',
      'dclid',
      'srsltid',
    ),
  ),
  b('is_active_user'),
  i('batch_event_index'),
  i('batch_page_id'),
  i('batch_ordering_id'),
  rec('session_traffic_source_last_click', [
    rec(
      'manual_campaign',
      strings(
        'campaign_id',
        'campaign_name',
        'source',
        'medium',
        'term',
        'content',
        'source_platform',
        'creative_format',
        'marketing_tactic',
      ),
    ),
    rec(
      'google_ads_campaign',
      strings(
        'customer_id',
        'account_name',
        'campaign_id',
        'campaign_name',
        'ad_group_id',
        'ad_group_name',
      ),
    ),
    rec(
      'cross_channel_campaign',
      strings(
        'campaign_id',
        'campaign_name',
        'source',
        'medium',
        'source_platform',
        'default_channel_group',
        'primary_channel_group',
      ),
    ),
    rec(
      'sa360_campaign',
      strings(
        'campaign_id',
        'campaign_name',
        'source',
        'medium',
        'ad_group_id',
        'ad_group_name',
        'creative_format',
        'engine_account_name',
        'engine_account_type',
        'manager_account_name',
      ),
    ),
    rec(
      'cm360_campaign',
      strings(
        'campaign_id',
        'campaign_name',
        'source',
        'medium',
        'account_id',
        'account_name',
        'advertiser_id',
        'advertiser_name',
        'creative_id',
        'creative_format',
        'creative_name',
        'creative_type',
        'creative_type_id',
        'creative_version',
        'placement_id',
        'placement_cost_structure',
        'placement_name',
        'rendering_id',
        'site_id',
        'site_name',
      ),
    ),
    rec(
      'dv360_campaign',
      strings(
        'campaign_id',
        'campaign_name',
        'source',
        'medium',
        'partner_id',
        'partner_name',
        'advertiser_id',
        'advertiser_name',
        'insertion_order_id',
        'insertion_order_name',
        'line_item_id',
        'line_item_name',
        'creative_id',
        'creative_name',
        'creative_format',
        'exchange_id',
        'exchange_name',
      ),
    ),
  ]),
  rec('publisher', [f('ad_revenue_in_usd'), s('ad_format'), s('ad_source_name'), s('ad_unit_id')]),
  i('event_original_occurrence_timestamp'),
];

/** Daily tables are `events_YYYYMMDD`; streaming export adds `events_intraday_YYYYMMDD`. */
export const DAILY_TABLE = /^events_(\d{8})$/;
export const INTRADAY_TABLE = /^events_intraday_(\d{8})$/;

export function fieldByPath(path: string): Field | undefined {
  let fields: readonly Field[] = EVENTS_SCHEMA;
  let found: Field | undefined;
  for (const part of path.split('.')) {
    found = fields.find((x) => x.name === part);
    if (!found) return undefined;
    fields = found.type === 'STRUCT' ? found.fields : [];
  }
  return found;
}
