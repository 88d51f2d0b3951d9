import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import type { PageError } from './pageError.js';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

export interface Views {
  /** A page's HTML inside the main layout. */
  render(page: string, context: Record<string, unknown>): string;
}

/** Compiles templates/pages/*.hbs and the layout once; partials from templates/pages/partials. */
export function loadViews(dir = TEMPLATES_DIR): Views {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('json', (value: unknown) =>
    JSON.stringify(value ?? null).replace(/</g, '\\u003c'),
  );
  // A form field's error under it, and the attributes tying the field to it (see pageError.ts).
  const errorOn = (error: unknown, name: unknown): PageError | undefined => {
    const e = error as PageError | undefined;
    return e && typeof name === 'string' && e.field !== '' && e.field === name ? e : undefined;
  };
  const errorId = (name: string) => `error-${name.replace(/[^A-Za-z0-9-]/g, '-')}`;
  hbs.registerHelper('errorFor', (error: unknown, name: unknown) => {
    const e = errorOn(error, name);
    if (!e) return '';
    const message = hbs.escapeExpression(e.message);
    return new hbs.SafeString(
      `<p class="field-error" id="${errorId(String(name))}" role="alert">${message}</p>`,
    );
  });
  hbs.registerHelper('errorId', (name: unknown) => errorId(String(name)));
  hbs.registerHelper('invalid', (error: unknown, name: unknown) =>
    errorOn(error, name)
      ? new hbs.SafeString(`aria-invalid="true" aria-describedby="${errorId(String(name))}"`)
      : '',
  );
  const partialsDir = `${dir}pages/partials/`;
  for (const file of safeList(partialsDir)) {
    if (file.endsWith('.hbs'))
      hbs.registerPartial(file.slice(0, -4), readFileSync(partialsDir + file, 'utf8'));
  }
  const layout = hbs.compile(readFileSync(`${dir}layouts/main.hbs`, 'utf8'));
  const pages = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of safeList(`${dir}pages/`)) {
    if (file.endsWith('.hbs'))
      pages.set(file.slice(0, -4), hbs.compile(readFileSync(`${dir}pages/${file}`, 'utf8')));
  }
  return {
    render(page, context) {
      const template = pages.get(page);
      if (!template) throw new Error(`no page template ${page}`);
      const nav = typeof context.nav === 'string' ? context.nav : '';
      // The doctype lives here: the formatter's Handlebars parser drops it from templates.
      return `<!doctype html>\n${layout({ ...context, current: { [nav]: 'page' }, body: template(context) })}`;
    },
  };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
