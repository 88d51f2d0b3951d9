import { BetaAnalyticsDataClient } from '@google-analytics/data';
import { InputError, PathlightError } from '../errors/errors.js';
import type { DateRange } from '../sql/vocabulary/dateRange.js';

/**
 * GA4's own numbers, through the Data API: which events the property marks as key events, and
 * its totals for a date range, to set beside the export's in a report's data-quality box.
 * GA4's interface counts users with estimates, applies thresholds and models consented-out
 * traffic, so its totals rarely equal the export's; the report explains the difference.
 */
export interface Ga4Totals {
  readonly activeUsers: number;
  readonly sessions: number;
  readonly eventCount: number;
  readonly keyEvents: number;
  readonly totalRevenue: number;
}

export interface Ga4DataApi {
  keyEvents(): Promise<string[]>;
  totals(range: DateRange): Promise<Ga4Totals>;
}

export interface Ga4DataApiOptions {
  readonly propertyId: string;
  /** Tests point the client at a local server; production leaves these unset. */
  readonly endpoint?: { host: string; port: number; protocol: 'http' | 'https' };
  /** Anything with getRequestHeaders(); production uses Application Default Credentials. */
  readonly authClient?: unknown;
}

const PROPERTY = /^\d{1,20}$/;

export function ga4DataApi(options: Ga4DataApiOptions): Ga4DataApi {
  if (!PROPERTY.test(options.propertyId)) {
    throw new InputError(
      'GA4_PROPERTY_ID: expected the numeric property id, like 123456789',
      'GA4_PROPERTY_ID',
    );
  }
  const client = new BetaAnalyticsDataClient({
    fallback: true,
    ...(options.endpoint
      ? {
          apiEndpoint: options.endpoint.host,
          port: options.endpoint.port,
          protocol: options.endpoint.protocol,
        }
      : {}),
    ...(options.authClient ? { authClient: options.authClient } : {}),
  } as ConstructorParameters<typeof BetaAnalyticsDataClient>[0]);
  const property = `properties/${options.propertyId}`;
  const fail = (what: string, error: unknown) =>
    new PathlightError(
      `GA4 Data API (${what}) failed: ${error instanceof Error ? error.message : String(error)}`,
      undefined,
      {
        cause: error,
      },
    );
  return {
    async keyEvents() {
      try {
        const [metadata] = await client.getMetadata({ name: `${property}/metadata` });
        // Each key event appears as a metric named `keyEvents:<event name>`.
        return (metadata.metrics ?? [])
          .map((metric) => metric.apiName ?? '')
          .filter((name) => name.startsWith('keyEvents:'))
          .map((name) => name.slice('keyEvents:'.length))
          .sort();
      } catch (error) {
        throw fail('metadata', error);
      }
    },
    async totals(range) {
      try {
        const names = [
          'activeUsers',
          'sessions',
          'eventCount',
          'keyEvents',
          'totalRevenue',
        ] as const;
        const [report] = await client.runReport({
          property,
          dateRanges: [{ startDate: range.start, endDate: range.end }],
          metrics: names.map((name) => ({ name })),
        });
        const values = report.rows?.[0]?.metricValues ?? [];
        const headers = (report.metricHeaders ?? []).map((h) => h.name);
        const value = (name: string) => Number(values[headers.indexOf(name)]?.value ?? 0);
        return {
          activeUsers: value('activeUsers'),
          sessions: value('sessions'),
          eventCount: value('eventCount'),
          keyEvents: value('keyEvents'),
          totalRevenue: value('totalRevenue'),
        };
      } catch (error) {
        throw fail('runReport', error);
      }
    },
  };
}
