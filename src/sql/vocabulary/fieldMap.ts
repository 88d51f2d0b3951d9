/** Top-level columns a `field` condition may name, as SQL expressions (an allow-list). */
export const FIELD_SQL: Record<string, string> = {
  platform: 'platform',
  stream_id: 'stream_id',
  'device.category': 'device.category',
  'device.operating_system': 'device.operating_system',
  'device.mobile_brand_name': 'device.mobile_brand_name',
  'device.language': 'device.language',
  'device.web_info.browser': 'device.web_info.browser',
  'geo.country': 'geo.country',
  'geo.region': 'geo.region',
  'geo.city': 'geo.city',
  'geo.continent': 'geo.continent',
  'traffic_source.source': 'traffic_source.source',
  'traffic_source.medium': 'traffic_source.medium',
  'traffic_source.name': 'traffic_source.name',
  'ecommerce.purchase_revenue': 'ecommerce.purchase_revenue',
  'ecommerce.transaction_id': 'ecommerce.transaction_id',
  user_id: 'user_id',
};

/** Item columns an `item` condition may name directly; any other key is an item parameter. */
export const ITEM_FIELDS = [
  'item_id',
  'item_name',
  'item_brand',
  'item_variant',
  'item_category',
  'item_category2',
  'item_category3',
  'item_list_name',
  'coupon',
  'price',
  'quantity',
] as const;
