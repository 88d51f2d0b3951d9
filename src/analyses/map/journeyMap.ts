/** A touchpoint kind of the map: what a user did at a stage. */
export type TouchKind = 'event' | 'page' | 'title' | 'search' | 'item' | 'channel';
export const TOUCH_KINDS: readonly TouchKind[] = [
  'channel',
  'page',
  'event',
  'search',
  'item',
  'title',
];

export type FrictionSignal =
  'repeated_search' | 'repeated_checkout' | 'form_abandoned' | 'error_page' | 'long_gap';

export interface Touch {
  readonly kind: TouchKind;
  readonly label: string;
  readonly users: number;
  /** Of the stage's users. */
  readonly share: number;
}

export interface Group {
  readonly users: number;
  readonly converted: number;
  readonly rate: number;
}

/** A touchpoint whose users reach the goal at a rate unlike the stage's other users. */
export interface MomentOfTruth {
  readonly stage: string;
  readonly kind: TouchKind;
  readonly label: string;
  readonly did: Group;
  readonly didNot: Group;
  /** P(goal | did) - P(goal | at the stage and did not). */
  readonly difference: number;
  /** 95% interval of the difference (Newcombe, from the two Wilson intervals). */
  readonly interval: [number, number];
}

export interface PainPoint {
  readonly stage: string;
  readonly kind: 'drop_off' | 'exit_page' | FrictionSignal;
  readonly label: string;
  readonly users: number;
  /** users × the stage's conversion rate. */
  readonly conversionsAtStake: number;
}

export interface StageCell {
  readonly stage: string;
  readonly users: number;
  readonly shareOfPersona: number;
  readonly medianSecondsSincePrevious: number | null;
  readonly converted: number;
  /** P(goal at or after reaching the stage | reached it). */
  readonly conversionRate: number;
  /** Users reaching the next stage (at or after); null at the last stage. */
  readonly progressed: number | null;
  readonly doing: Record<TouchKind, Touch[]>;
  readonly moments: MomentOfTruth[];
  readonly painPoints: PainPoint[];
}

export interface PersonaMap {
  readonly name: string;
  readonly description: string;
  readonly users: number;
  readonly shareOfAll: number;
  readonly converted: number;
  /** This persona's users who are also in another persona of the map. */
  readonly overlapUsers: number;
  /** No user matches: the map says so instead of drawing zeros. */
  readonly empty: boolean;
  readonly stages: StageCell[];
  /** The persona's pain points, most conversions at stake first. */
  readonly opportunities: PainPoint[];
}

export interface JourneyMapResult {
  readonly dateRange: { start: string; end: string };
  readonly goal: string;
  readonly stages: string[];
  readonly minSupport: number;
  /** All users first, then the personas in the order given. */
  readonly personas: PersonaMap[];
  /** Users in more than one persona, and their share of the personas' users together. */
  readonly overlap: { users: number; share: number } | null;
  readonly sql: string;
}
