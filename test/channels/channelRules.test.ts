import { describe, expect, it } from 'vitest';
import { CHANNEL_RULES, channelGroup } from '../../src/sql/vocabulary/channelRules.js';
import { DuckdbEngine } from '../../src/engines/duckdb/DuckdbEngine.js';
import { channelGroupSql } from '../../src/sql/channelGroupSql.js';

type Case = [source: string | null, medium: string | null, campaign: string | null];
const cases: Record<string, Case[]> = {
  Direct: [
    ['(direct)', '(none)', null],
    ['(direct)', '(not set)', null],
  ],
  Offline: [
    ['store_visit', 'offline', null],
    ['shopping_mall', 'OFFLINE', 'winter-shopping'],
  ],
  'Cross-network': [['google', 'cpc', 'summer cross-network pmax']],
  'Paid Shopping': [
    ['google', 'cpc', 'shopping_summer'],
    ['amazon', 'ppc', null],
    ['newsletter', 'paid', 'shop_sale'],
  ],
  'Paid Search': [
    ['google', 'cpc', null],
    ['bing', 'ppc', 'brand'],
    ['search.yahoo.com', 'paidsearch', null],
  ],
  'Paid Social': [
    ['facebook', 'paid', null],
    ['linkedin.com', 'cpc', null],
    ['instagram', 'retargeting', null],
  ],
  'Paid Video': [['youtube', 'cpv', null]],
  Display: [
    ['adnetwork', 'display', null],
    ['adnetwork', 'banner', null],
    ['adnetwork', 'interstitial', null],
  ],
  'Paid Other': [['adnetwork', 'cpc', null]],
  'Organic Shopping': [
    ['amazon', 'referral', null],
    ['partner', 'blog', 'winter-shopping'],
  ],
  'Organic Social': [
    ['facebook.com', 'referral', null],
    ['forum', 'social', null],
    ['forum', 'sm', null],
  ],
  'Organic Video': [
    ['youtube.com', 'referral', null],
    ['partner', 'video_embed', null],
  ],
  'Organic Search': [
    ['google', 'organic', null],
    ['duckduckgo', 'referral', null],
    ['partner', 'organic', null],
  ],
  Referral: [
    ['example.com', 'referral', null],
    ['partner', 'link', null],
    ['partner', 'app', null],
  ],
  Email: [
    ['newsletter', 'email', null],
    ['email', 'weekly', null],
    ['crm', 'e-mail', null],
  ],
  Affiliates: [['partnerhub', 'affiliate', null]],
  Audio: [['spotify-ads', 'audio', null]],
  SMS: [
    ['sms', 'text', null],
    ['twilio', 'sms', null],
  ],
  'Mobile Push Notifications': [
    ['app', 'web_push', null],
    ['app', 'mobile', null],
    ['firebase', 'inapp', null],
  ],
  Unassigned: [
    ['partner', 'weird', null],
    [null, null, null],
  ],
};

describe('GA4 default channel group rules', () => {
  it('every rule has a test below', () => {
    for (const r of CHANNEL_RULES) expect(cases[r.channel], r.channel).toBeDefined();
  });
  for (const [channel, examples] of Object.entries(cases)) {
    it(`${channel}`, () => {
      for (const [s, m, c] of examples)
        expect(channelGroup(s, m, c), `${s} / ${m} / ${c}`).toBe(channel);
    });
  }
  it('ordering: a shopping campaign with cpc medium is Paid Shopping, not Paid Search', () => {
    expect(channelGroup('google', 'cpc', 'Shopping - all products')).toBe('Paid Shopping');
    expect(channelGroup('google', 'cpc', 'brand')).toBe('Paid Search');
  });
  it('ordering: cpm medium on a non-search source is Display before Paid Other', () => {
    expect(channelGroup('adnetwork', 'cpm', null)).toBe('Display');
  });
  it('matching ignores case', () => {
    expect(channelGroup('Google', 'CPC', null)).toBe('Paid Search');
    expect(channelGroup('(DIRECT)', '(NONE)', null)).toBe('Direct');
  });
});

const SITE_CASES: [string, string, string][] = [
  ['x.com', 'referral', 'Organic Social'],
  ['mobile.x.com', 'referral', 'Organic Social'],
  ['t.co', 'referral', 'Organic Social'],
  ['fb', 'paid', 'Paid Social'],
  ['ig', 'cpc', 'Paid Social'],
  ['l.facebook.com', 'referral', 'Organic Social'],
  ['ask.com', 'organic', 'Organic Search'],
  ['www.so.com', 'referral', 'Organic Search'],
  ['search.goo.ne.jp', 'referral', 'Organic Search'],
  ['wp.pl', 'cpc', 'Paid Search'],
  ['m.youtube.com', 'referral', 'Organic Video'],
  ['youtu.be', 'referral', 'Organic Video'],
  ['www.target.com', 'cpc', 'Paid Shopping'],

  // Would have matched a bare x / t / so / ask / goo / wp / fb / ig / target label.
  ['x.example.org', 'referral', 'Referral'],
  ['max.com', 'referral', 'Referral'],
  ['news.t.example.com', 'referral', 'Referral'],
  ['t.me.example', 'referral', 'Referral'],
  ['so.cool-blog.net', 'cpc', 'Paid Other'],
  ['asktheexpert.com', 'referral', 'Referral'],
  ['ask.example.org', 'cpc', 'Paid Other'],
  ['goo.gl', 'referral', 'Referral'],
  ['blog.wp.example.org', 'cpc', 'Paid Other'],
  ['fb.example.org', 'paid', 'Paid Other'],
  ['ig.example.net', 'referral', 'Referral'],
  ['target.example.com', 'cpc', 'Paid Other'],
];

describe('site lists match whole names, not stray labels', () => {
  it.each(SITE_CASES)('%s / %s is %s', (source, medium, channel) => {
    expect(channelGroup(source, medium, null)).toBe(channel);
  });
  it('the SQL rendering (RE2 in DuckDB) agrees on every one', async () => {
    const engine = await DuckdbEngine.open(':memory:');
    try {
      const values = SITE_CASES.map(([s, m]) => `('${s}', '${m}')`).join(', ');
      const sql = `SELECT s, ${channelGroupSql('s', 'm', 'CAST(NULL AS VARCHAR)')} AS channel FROM (VALUES ${values}) AS t(s, m)`;
      const { rows } = await engine.query(sql, {}, { name: 'channels' });
      expect(Object.fromEntries(rows.map((r) => [r.s, r.channel]))).toEqual(
        Object.fromEntries(SITE_CASES.map(([s, , c]) => [s, c])),
      );
    } finally {
      await engine.close();
    }
  });
});
