/** The fixed world the sample lives in: a web shop, its products, channels, devices and places. */

export const HOST = 'shop.example.com';
export const ORIGIN = `https://${HOST}`;
export const STREAM_ID = '2100000001';
/** Property time zone: event_date and the table suffix are local dates here. */
export const TIME_ZONE = 'America/Los_Angeles';

export interface Product {
  id: string;
  name: string;
  brand: string;
  category: string;
  slug: string;
  price: number;
}

const PRODUCT_NAMES: [string, string, number][] = [
  ['Apparel', 'Classic Logo Tee', 22],
  ['Apparel', 'Heather Hoodie', 55],
  ['Apparel', 'Trail Jacket', 120],
  ['Apparel', 'Knit Beanie', 18],
  ['Apparel', 'Everyday Socks', 12],
  ['Apparel', 'Rain Shell', 95],
  ['Drinkware', 'Insulated Bottle', 30],
  ['Drinkware', 'Ceramic Mug', 16],
  ['Drinkware', 'Travel Tumbler', 26],
  ['Bags', 'Daypack 20L', 75],
  ['Bags', 'Canvas Tote', 24],
  ['Bags', 'Laptop Sleeve', 40],
  ['Office', 'Dot Grid Notebook', 14],
  ['Office', 'Gel Pen Set', 9],
  ['Office', 'Desk Organizer', 35],
  ['Lifestyle', 'Sticker Pack', 6],
  ['Lifestyle', 'Enamel Pin', 8],
  ['Lifestyle', 'Picnic Blanket', 48],
  ['Lifestyle', 'Camp Lantern', 42],
  ['Lifestyle', 'Phone Stand', 19],
];

export const PRODUCTS: Product[] = PRODUCT_NAMES.map(([category, name, price], i) => ({
  id: `SKU-${String(1001 + i)}`,
  name,
  brand: i % 3 === 0 ? 'Pathlight' : 'Trailhead',
  category,
  slug: name.toLowerCase().replaceAll(' ', '-'),
  price,
}));

export const CATEGORIES = [...new Set(PRODUCTS.map((p) => p.category))];

export const CONTENT_PAGES: [string, string][] = [
  ['/about', 'About us'],
  ['/blog/packing-list', 'Blog: the ultimate packing list'],
  ['/blog/gift-guide', 'Blog: gift guide'],
  ['/shipping', 'Shipping & returns'],
  ['/faq', 'FAQ'],
];

export const SEARCH_TERMS = ['hoodie', 'bottle', 'backpack', 'gift', 'notebook', 'jacket', 'mug'];

export type ChannelId =
  | 'organic_search'
  | 'paid_search'
  | 'paid_social'
  | 'organic_social'
  | 'email'
  | 'referral'
  | 'affiliates'
  | 'direct';

export interface Channel {
  id: ChannelId;
  group: string;
  /** Multiplier on the shop funnel's pass rates. */
  conversion: number;
  variants: {
    source: string;
    medium: string;
    campaign: string | null;
    campaignId: string | null;
    referrer: string | null;
    utm: boolean;
    terms?: string[];
    contents?: string[];
  }[];
}

export const CHANNELS: Record<ChannelId, Channel> = {
  organic_search: {
    id: 'organic_search',
    group: 'Organic Search',
    conversion: 1,
    variants: [
      {
        source: 'google',
        medium: 'organic',
        campaign: '(organic)',
        campaignId: null,
        referrer: 'https://www.google.com/',
        utm: false,
      },
      {
        source: 'google',
        medium: 'organic',
        campaign: '(organic)',
        campaignId: null,
        referrer: 'https://www.google.com/',
        utm: false,
      },
      {
        source: 'bing',
        medium: 'organic',
        campaign: '(organic)',
        campaignId: null,
        referrer: 'https://www.bing.com/',
        utm: false,
      },
    ],
  },
  paid_search: {
    id: 'paid_search',
    group: 'Paid Search',
    conversion: 1.7,
    variants: [
      {
        source: 'google',
        medium: 'cpc',
        campaign: 'brand_search',
        campaignId: '17001',
        referrer: 'https://www.google.com/',
        utm: false,
        terms: ['pathlight shop', 'pathlight hoodie'],
      },
      {
        source: 'google',
        medium: 'cpc',
        campaign: 'generic_search',
        campaignId: '17002',
        referrer: 'https://www.google.com/',
        utm: false,
        terms: ['outdoor hoodie', 'insulated bottle', 'daypack'],
      },
    ],
  },
  paid_social: {
    id: 'paid_social',
    group: 'Paid Social',
    conversion: 0.45,
    variants: [
      {
        source: 'facebook',
        medium: 'paid_social',
        campaign: 'fall_sale',
        campaignId: 'fb_2201',
        referrer: 'https://m.facebook.com/',
        utm: true,
        contents: ['carousel', 'video'],
      },
      {
        source: 'instagram',
        medium: 'paid_social',
        campaign: 'new_arrivals',
        campaignId: 'ig_2202',
        referrer: 'https://l.instagram.com/',
        utm: true,
        contents: ['story', 'reel'],
      },
    ],
  },
  organic_social: {
    id: 'organic_social',
    group: 'Organic Social',
    conversion: 0.6,
    variants: [
      {
        source: 'instagram.com',
        medium: 'referral',
        campaign: '(referral)',
        campaignId: null,
        referrer: 'https://instagram.com/',
        utm: false,
      },
      {
        source: 't.co',
        medium: 'referral',
        campaign: '(referral)',
        campaignId: null,
        referrer: 'https://t.co/',
        utm: false,
      },
      {
        source: 'facebook.com',
        medium: 'referral',
        campaign: '(referral)',
        campaignId: null,
        referrer: 'https://facebook.com/',
        utm: false,
      },
    ],
  },
  email: {
    id: 'email',
    group: 'Email',
    conversion: 2.1,
    variants: [
      {
        source: 'newsletter',
        medium: 'email',
        campaign: 'weekly_digest',
        campaignId: 'em_301',
        referrer: null,
        utm: true,
        contents: ['header', 'product_grid'],
      },
      {
        source: 'newsletter',
        medium: 'email',
        campaign: 'cart_reminder',
        campaignId: 'em_302',
        referrer: null,
        utm: true,
      },
    ],
  },
  referral: {
    id: 'referral',
    group: 'Referral',
    conversion: 1,
    variants: [
      {
        source: 'outdoorblog.example.org',
        medium: 'referral',
        campaign: '(referral)',
        campaignId: null,
        referrer: 'https://outdoorblog.example.org/reviews',
        utm: false,
      },
      {
        source: 'giftideas.example.net',
        medium: 'referral',
        campaign: '(referral)',
        campaignId: null,
        referrer: 'https://giftideas.example.net/',
        utm: false,
      },
    ],
  },
  affiliates: {
    id: 'affiliates',
    group: 'Affiliates',
    conversion: 1.2,
    variants: [
      {
        source: 'awin',
        medium: 'affiliate',
        campaign: 'partner_program',
        campaignId: 'af_401',
        referrer: 'https://www.awin1.com/',
        utm: true,
      },
      {
        source: 'partnerize',
        medium: 'affiliate',
        campaign: 'partner_program',
        campaignId: 'af_402',
        referrer: 'https://prf.hn/',
        utm: true,
      },
    ],
  },
  direct: {
    id: 'direct',
    group: 'Direct',
    conversion: 1.25,
    variants: [
      {
        source: '(direct)',
        medium: '(none)',
        campaign: null,
        campaignId: null,
        referrer: null,
        utm: false,
      },
    ],
  },
};

/** A first visit comes from discovery channels; later visits more often come back direct or by email. */
export const FIRST_CHANNEL: [ChannelId, number][] = [
  ['organic_search', 30],
  ['paid_social', 22],
  ['paid_search', 14],
  ['organic_social', 10],
  ['referral', 7],
  ['affiliates', 4],
  ['direct', 13],
];
export const RETURN_CHANNEL: [ChannelId, number][] = [
  ['direct', 36],
  ['email', 22],
  ['organic_search', 17],
  ['paid_search', 12],
  ['paid_social', 5],
  ['organic_social', 3],
  ['referral', 3],
  ['affiliates', 2],
];

export interface Device {
  category: 'desktop' | 'mobile' | 'tablet';
  brand: string;
  model: string;
  marketing: string | null;
  os: string;
  osVersion: string;
  browser: string;
  browserVersion: string;
  conversion: number;
}

export const DEVICES: [Device, number][] = [
  [
    {
      category: 'desktop',
      brand: 'Microsoft',
      model: 'Edge',
      marketing: null,
      os: 'Windows',
      osVersion: 'Windows 10',
      browser: 'Chrome',
      browserVersion: '130.0.0.0',
      conversion: 1.4,
    },
    22,
  ],
  [
    {
      category: 'desktop',
      brand: 'Apple',
      model: 'Safari',
      marketing: null,
      os: 'Macintosh',
      osVersion: 'Macintosh Intel 10.15',
      browser: 'Safari',
      browserVersion: '18.1',
      conversion: 1.4,
    },
    10,
  ],
  [
    {
      category: 'desktop',
      brand: 'Microsoft',
      model: 'Edge',
      marketing: null,
      os: 'Windows',
      osVersion: 'Windows 11',
      browser: 'Edge',
      browserVersion: '130.0.2849.68',
      conversion: 1.4,
    },
    5,
  ],
  [
    {
      category: 'desktop',
      brand: 'Google',
      model: 'Chrome',
      marketing: null,
      os: 'Chrome OS',
      osVersion: 'Chrome OS 14541.0.0',
      browser: 'Chrome',
      browserVersion: '130.0.0.0',
      conversion: 1.2,
    },
    2,
  ],
  [
    {
      category: 'mobile',
      brand: 'Apple',
      model: 'iPhone',
      marketing: 'iPhone',
      os: 'iOS',
      osVersion: 'iOS 18.1',
      browser: 'Safari',
      browserVersion: '18.1',
      conversion: 0.7,
    },
    30,
  ],
  [
    {
      category: 'mobile',
      brand: 'Samsung',
      model: 'SM-S918B',
      marketing: 'Galaxy S23 Ultra',
      os: 'Android',
      osVersion: 'Android 14',
      browser: 'Chrome',
      browserVersion: '130.0.6723.102',
      conversion: 0.65,
    },
    14,
  ],
  [
    {
      category: 'mobile',
      brand: 'Google',
      model: 'Pixel 8',
      marketing: 'Pixel 8',
      os: 'Android',
      osVersion: 'Android 15',
      browser: 'Chrome',
      browserVersion: '130.0.6723.102',
      conversion: 0.65,
    },
    7,
  ],
  [
    {
      category: 'tablet',
      brand: 'Apple',
      model: 'iPad',
      marketing: 'iPad',
      os: 'iOS',
      osVersion: 'iOS 17.6',
      browser: 'Safari',
      browserVersion: '17.6',
      conversion: 1,
    },
    6,
  ],
  [
    {
      category: 'tablet',
      brand: 'Samsung',
      model: 'SM-X200',
      marketing: 'Galaxy Tab A8',
      os: 'Android',
      osVersion: 'Android 13',
      browser: 'Chrome',
      browserVersion: '129.0.6668.100',
      conversion: 0.9,
    },
    2,
  ],
];

export interface Geo {
  city: string;
  country: string;
  continent: string;
  region: string;
  subContinent: string;
  metro: string;
  language: string;
  currency: 'USD' | 'EUR';
}

export const GEOS: [Geo, number][] = [
  [
    {
      city: 'Los Angeles',
      country: 'United States',
      continent: 'Americas',
      region: 'California',
      subContinent: 'Northern America',
      metro: 'Los Angeles CA',
      language: 'en-us',
      currency: 'USD',
    },
    14,
  ],
  [
    {
      city: 'San Francisco',
      country: 'United States',
      continent: 'Americas',
      region: 'California',
      subContinent: 'Northern America',
      metro: 'San Francisco-Oakland-San Jose CA',
      language: 'en-us',
      currency: 'USD',
    },
    10,
  ],
  [
    {
      city: 'New York',
      country: 'United States',
      continent: 'Americas',
      region: 'New York',
      subContinent: 'Northern America',
      metro: 'New York, NY',
      language: 'en-us',
      currency: 'USD',
    },
    14,
  ],
  [
    {
      city: 'Chicago',
      country: 'United States',
      continent: 'Americas',
      region: 'Illinois',
      subContinent: 'Northern America',
      metro: 'Chicago IL',
      language: 'en-us',
      currency: 'USD',
    },
    8,
  ],
  [
    {
      city: 'Seattle',
      country: 'United States',
      continent: 'Americas',
      region: 'Washington',
      subContinent: 'Northern America',
      metro: 'Seattle-Tacoma WA',
      language: 'en-us',
      currency: 'USD',
    },
    6,
  ],
  [
    {
      city: 'Austin',
      country: 'United States',
      continent: 'Americas',
      region: 'Texas',
      subContinent: 'Northern America',
      metro: 'Austin TX',
      language: 'en-us',
      currency: 'USD',
    },
    5,
  ],
  [
    {
      city: '(not set)',
      country: 'United States',
      continent: 'Americas',
      region: '(not set)',
      subContinent: 'Northern America',
      metro: '(not set)',
      language: 'en-us',
      currency: 'USD',
    },
    8,
  ],
  [
    {
      city: 'Toronto',
      country: 'Canada',
      continent: 'Americas',
      region: 'Ontario',
      subContinent: 'Northern America',
      metro: '(not set)',
      language: 'en-ca',
      currency: 'USD',
    },
    6,
  ],
  [
    {
      city: 'London',
      country: 'United Kingdom',
      continent: 'Europe',
      region: 'England',
      subContinent: 'Northern Europe',
      metro: '(not set)',
      language: 'en-gb',
      currency: 'USD',
    },
    7,
  ],
  [
    {
      city: 'Berlin',
      country: 'Germany',
      continent: 'Europe',
      region: 'Berlin',
      subContinent: 'Western Europe',
      metro: '(not set)',
      language: 'de-de',
      currency: 'EUR',
    },
    4,
  ],
  [
    {
      city: 'Paris',
      country: 'France',
      continent: 'Europe',
      region: 'Ile-de-France',
      subContinent: 'Western Europe',
      metro: '(not set)',
      language: 'fr-fr',
      currency: 'EUR',
    },
    3,
  ],
  [
    {
      city: 'Madrid',
      country: 'Spain',
      continent: 'Europe',
      region: 'Community of Madrid',
      subContinent: 'Southern Europe',
      metro: '(not set)',
      language: 'es-es',
      currency: 'EUR',
    },
    2,
  ],
  [
    {
      city: 'Bengaluru',
      country: 'India',
      continent: 'Asia',
      region: 'Karnataka',
      subContinent: 'Southern Asia',
      metro: '(not set)',
      language: 'en-in',
      currency: 'USD',
    },
    4,
  ],
  [
    {
      city: 'Sydney',
      country: 'Australia',
      continent: 'Oceania',
      region: 'New South Wales',
      subContinent: 'Australasia',
      metro: '(not set)',
      language: 'en-au',
      currency: 'USD',
    },
    3,
  ],
];

export const EUR_TO_USD = 1.08;
