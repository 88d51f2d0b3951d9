import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from '../render/handlebarsEnv.js';

/** Sections without an email partial of their own (a newer section type) point to the full report. */
const FALLBACK = 'inFullReport';

export interface EmailTemplates {
  html(context: unknown): string;
  text(context: unknown): string;
}

/**
 * `templates/emails/`: the HTML body (`report.hbs`, partials in `partials/`) and the text part
 * (`report.txt.hbs`, partials in `text/`). Two Handlebars envs: the text one does not HTML-escape.
 */
export function createEmailTemplates(dir = join(TEMPLATES_DIR, 'emails')): EmailTemplates {
  const build = (partialsDir: string, file: string, noEscape: boolean) => {
    const env = Handlebars.create();
    const names = new Set<string>();
    for (const name of readdirSync(join(dir, partialsDir))) {
      if (!name.endsWith('.hbs')) continue;
      names.add(basename(name, '.hbs'));
      env.registerPartial(
        basename(name, '.hbs'),
        readFileSync(join(dir, partialsDir, name), 'utf8'),
      );
    }
    env.registerHelper('sectionPartial', (name: unknown) =>
      typeof name === 'string' && names.has(name) ? name : FALLBACK,
    );
    return env.compile(readFileSync(join(dir, file), 'utf8'), { strict: false, noEscape });
  };
  const html = build('partials', 'report.hbs', false);
  const text = build('text', 'report.txt.hbs', true);
  return { html: (context) => html(context), text: (context) => text(context) };
}

let shared: EmailTemplates | undefined;
export const emailTemplates = (): EmailTemplates => (shared ??= createEmailTemplates());
