import { describe, expect, it } from 'vitest';
import { CHANNEL_RULES, channelGroup } from '../../src/analyses/channels/channelRules.js';

type Case = [source: string | null, medium: string | null, campaign: string | null];
const cases: Record<string, Case[]> = {
  Direct: [
    ['(direct)', '(none)', null],
    ['(direct)', '(not set)', null],
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
