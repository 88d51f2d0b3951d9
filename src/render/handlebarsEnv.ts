import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/** The project's `templates/` folder, found from this file in `src/` or `dist/`. */
export const TEMPLATES_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'templates',
);

export interface ReportTemplates {
  readonly env: typeof Handlebars;
  render(name: string, context: unknown): string;
}

/** An isolated Handlebars env with every `templates/partials/*.hbs` registered; templates compiled once. */
export function createReportTemplates(dir = TEMPLATES_DIR): ReportTemplates {
  const env = Handlebars.create();
  for (const file of readdirSync(join(dir, 'partials'))) {
    if (file.endsWith('.hbs')) {
      env.registerPartial(
        basename(file, '.hbs'),
        readFileSync(join(dir, 'partials', file), 'utf8'),
      );
    }
  }
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  return {
    env,
    render(name, context) {
      let template = compiled.get(name);
      if (!template) {
        template = env.compile(readFileSync(join(dir, 'reports', `${name}.hbs`), 'utf8'), {
          strict: false,
          noEscape: false,
        });
        compiled.set(name, template);
      }
      return template(context);
    },
  };
}

let shared: ReportTemplates | undefined;
export const reportTemplates = (): ReportTemplates => (shared ??= createReportTemplates());
