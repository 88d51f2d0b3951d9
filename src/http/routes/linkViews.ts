import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { TEMPLATES_DIR } from '../pages/views.js';

export interface SharedBar {
  /** The link's own path, where the range picker submits. */
  readonly self: string;
  readonly picker: {
    readonly list?: { value: string; label: string; selected: boolean }[];
    readonly span?: { start: string; end: string; maxDays: number };
  };
  readonly pdfUrl?: string;
  readonly generated: string;
  readonly expires: string;
}

export interface LinkViews {
  /** The report's own HTML with the shared-link bar at the top of its body. */
  withBar(reportHtml: string, bar: SharedBar): string;
  /** A page answering an open that cannot be served (expired, revoked, refused ...). */
  answer(page: { title: string; body: string; back?: string }): string;
}

/** The templates of the public link pages, compiled once. */
export function loadLinkViews(dir = TEMPLATES_DIR): LinkViews {
  const hbs = Handlebars.create();
  const bar = hbs.compile(readFileSync(`${dir}links/sharedBar.hbs`, 'utf8'));
  const answer = hbs.compile(readFileSync(`${dir}links/answer.hbs`, 'utf8'));
  return {
    withBar(reportHtml, context) {
      const at = reportHtml.search(/<body[^>]*>/);
      if (at < 0) return reportHtml;
      const end = reportHtml.indexOf('>', at) + 1;
      return `${reportHtml.slice(0, end)}\n${bar(context)}${reportHtml.slice(end)}`;
    },
    answer: (page) => answer(page),
  };
}
