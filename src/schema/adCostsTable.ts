/** The embedded engine's table of imported ad costs, one row per day and campaign key. */
export const AD_COSTS_TABLE = 'ad_costs';

/**
 * GA4's cost-data import shape. The key is (date, utm_source, utm_medium, utm_id): importing a
 * day and key again replaces that row. `currency` is NULL where the file named none (the
 * property's currency).
 */
export const AD_COSTS_DDL = `CREATE TABLE IF NOT EXISTS ${AD_COSTS_TABLE} (
  date DATE NOT NULL,
  utm_source VARCHAR NOT NULL,
  utm_medium VARCHAR NOT NULL,
  utm_id VARCHAR NOT NULL,
  utm_campaign VARCHAR,
  impressions BIGINT,
  clicks BIGINT,
  cost DOUBLE NOT NULL,
  currency VARCHAR,
  PRIMARY KEY (date, utm_source, utm_medium, utm_id)
)`;
