/**
 * What the report templates draw, as render sees it: a title, the period, and sections that each
 * name the partial drawing them and carry its context. The reports' model satisfies this shape, so
 * drawing does not depend on how a report is built.
 */
export interface SectionView {
  readonly type: string;
  readonly partial: string;
  readonly title: string;
  /** Said under the title: what the section does not apply. */
  readonly note?: string;
  readonly context: unknown;
}

export interface ReportView {
  readonly title: string;
  readonly rangeLabel: string;
  readonly comparisonLabel: string;
  readonly generatedLabel: string;
  readonly sections: readonly SectionView[];
}

/** The lines a printed page's header and footer carry. */
export type PageHeadings = Pick<ReportView, 'title' | 'rangeLabel' | 'generatedLabel'>;
