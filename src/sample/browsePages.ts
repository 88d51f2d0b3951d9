import { CATEGORIES, CONTENT_PAGES, PRODUCTS, SEARCH_TERMS, type Product } from './catalog.js';
import { sParam } from './paramJson.js';
import type { SessionDraft } from './sessionDraft.js';

/** A product reached through its collection page, maybe selected from the list. */
function throughCollection(s: SessionDraft, category: string): Product {
  const { rng } = s;
  s.visit(`/collections/${category.toLowerCase()}`, `${category} | Pathlight Shop`);
  if (rng.chance(0.2))
    s.push('view_item_list', s.ts, { extra: `[${sParam('item_list_name', category)}]` });
  s.leave();
  const inCategory = PRODUCTS.filter((p) => p.category === category);
  const product = rng.pick(inCategory);
  if (rng.chance(0.35))
    s.push('select_item', s.ts - 500_000, {
      newBatch: true,
      extra: `[${sParam('item_list_name', category)}]`,
      items: `[${s.itemJson(product, 1, `,"item_list_name":${JSON.stringify(category)},"item_list_index":"${inCategory.indexOf(product) + 1}"`)}]`,
    });
  s.visit(`/product/${product.slug}`, product.name);
  s.viewItem(product, category);
  return product;
}

/** The home page again, with its banner. */
function homeAgain(s: SessionDraft): void {
  const { rng } = s;
  s.visit('/', 'Pathlight Shop');
  if (rng.chance(0.75))
    s.push('view_promotion', s.ts, {
      extra: `[${sParam('promotion_name', 'fall_sale_banner')}]`,
    });
  if (rng.chance(0.08))
    s.push('select_promotion', s.ts + 1_500_000, {
      newBatch: true,
      extra: `[${sParam('promotion_name', 'fall_sale_banner')}]`,
    });
}

/**
 * Pages after landing: shoppers mostly look at products, others read, go home or search. Returns
 * the last product looked at (the landing product if none), the one a shopper puts in the cart.
 */
export function browsePages(s: SessionDraft, shopper: boolean, landingProduct: Product): Product {
  const { rng } = s;
  const pages = 1 + Math.floor(rng.exp(shopper ? 2.8 : 1.6));
  let product = landingProduct;
  for (let k = 0; k < pages; k++) {
    const r = rng.next();
    if (r < (shopper ? 0.72 : 0.2)) {
      // The category is drawn whether or not the visitor goes through its collection page.
      const category = rng.pick(CATEGORIES);
      if (rng.chance(0.35)) product = throughCollection(s, category);
      else {
        product = rng.pick(PRODUCTS);
        s.visit(`/product/${product.slug}`, product.name);
        s.viewItem(product, null);
      }
    } else if (r < 0.8) {
      const [path, title] = rng.pick(CONTENT_PAGES);
      s.visit(path, title);
    } else if (r < 0.975) {
      homeAgain(s);
    } else {
      const q = rng.pick(SEARCH_TERMS);
      s.visit(`/search?q=${q}`, 'Search results');
      s.push('view_search_results', s.ts, { extra: `[${sParam('search_term', q)}]` });
    }
    s.leave();
  }
  return product;
}
