import { channelGroup } from '../../src/sql/vocabulary/channelRules.js';
import type { EventRow } from '../support/loadRows.js';

/**
 * The journey map worked event by event in plain TypeScript, from the definitions in
 * sql/journey_map.sql's header, for stage maps of bare rules (event, occurrence), a goal event
 * without conditions and personas on the first event's device category. Tests hold the query's
 * answer to this one on random fixtures.
 */
export interface RefPersona {
  readonly name: string;
  readonly devices: readonly string[];
}

interface Ev {
  user: string;
  name: string;
  ts: number;
  bo: number;
  bi: number;
  session: number | null;
  page: string | null;
  title: string | null;
  search: string | null;
  item: string | null;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  device: string | null;
}

type Param = { key: string; value: { string_value: string | null; int_value: number | null } };
const param = (row: EventRow, key: string) =>
  ((row.event_params as Param[] | undefined) ?? []).find((p) => p.key === key)?.value;

const collected = (row: EventRow, key: string): string | null =>
  (row.collected_traffic_source as Record<string, string | null> | null | undefined)?.[key] ?? null;

const SIGNAL_LABELS: Record<string, string> = {
  repeated_search: 'searched again',
  repeated_checkout: 'repeated a checkout step',
  form_abandoned: 'started a form without submitting',
  error_page: 'saw an error or not-found page',
  long_gap: 'long gap inside a session',
};

const cmp = (a: string | number | null, b: string | number | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : 0);

function wilson(x: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = x / n;
  const c = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const h = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

function toEv(row: EventRow): Ev {
  const location = param(row, 'page_location')?.string_value ?? null;
  const isPage = row.event_name === 'page_view';
  let page: string | null = null;
  if (isPage && location !== null) {
    const stripped = location.replace(/^[A-Za-z][-A-Za-z0-9+.]*:\/\/[^/?#]*/, '');
    page = stripped === '' ? '/' : stripped;
  }
  return {
    user: row.user_pseudo_id as string,
    name: row.event_name as string,
    ts: Number(row.event_timestamp),
    bo: Number(row.batch_ordering_id ?? 0),
    bi: Number(row.batch_event_index ?? 0),
    session: param(row, 'ga_session_id')?.int_value ?? null,
    page,
    title: isPage ? (param(row, 'page_title')?.string_value ?? null) : null,
    search:
      row.event_name === 'view_search_results'
        ? (param(row, 'search_term')?.string_value ?? null)
        : null,
    // The first item of a viewed item, by name; the touch's source from the collected traffic
    // source when the row has one, else its event parameters.
    item:
      row.event_name === 'view_item'
        ? (((row.items as { item_name?: string | null }[] | null | undefined) ?? [])
            .map((it) => it.item_name ?? null)
            .filter((n): n is string => n !== null)
            .sort(cmp)[0] ?? null)
        : null,
    source: collected(row, 'manual_source') ?? param(row, 'source')?.string_value ?? null,
    medium: collected(row, 'manual_medium') ?? param(row, 'medium')?.string_value ?? null,
    campaign:
      collected(row, 'manual_campaign_name') ?? param(row, 'campaign')?.string_value ?? null,
    device: (row.device as { category?: string } | undefined)?.category ?? null,
  };
}

const order = (a: Ev, b: Ev) => a.ts - b.ts || a.bo - b.bo || a.bi - b.bi;

export function referenceMap(
  rows: readonly EventRow[],
  stages: readonly { name: string; rules: readonly { event: string; occurrence?: number }[] }[],
  goal: string,
  personas: readonly RefPersona[],
  opts: { minSupport: number; moments: number; longGapSeconds: number; topPages: number },
) {
  const events = rows
    .filter((r) => r.user_pseudo_id !== null && r.user_pseudo_id !== undefined)
    .map(toEv);
  const byUser = new Map<string, Ev[]>();
  for (const e of events) byUser.set(e.user, [...(byUser.get(e.user) ?? []), e]);
  const firstDevice = (list: Ev[]) =>
    [...list].sort((a, b) => order(a, b) || cmp(a.name, b.name) || cmp(a.device, b.device))[0]
      ?.device ?? null;
  const members = [
    [...byUser.keys()],
    ...personas.map((p) =>
      [...byUser.keys()].filter((u) =>
        p.devices.includes(firstDevice(byUser.get(u) as Ev[]) ?? ''),
      ),
    ),
  ];

  // Per user: each stage's reach, window and conversion.
  const cells = new Map<
    string,
    {
      start: number;
      next: number | null;
      sincePrev: number | null;
      converted: boolean;
      goalAt: number;
      events: Ev[];
    }[]
  >();
  for (const [user, list] of byUser) {
    const sorted = [...list].sort(order);
    const reach = stages.map((s) => {
      const hits = s.rules.flatMap((r) => {
        const hit = sorted.filter((e) => e.name === r.event)[(r.occurrence ?? 1) - 1];
        return hit ? [hit.ts] : [];
      });
      return hits.length ? Math.min(...hits) : null;
    });
    const goals = sorted.filter((e) => e.name === goal).map((e) => e.ts);
    cells.set(
      user,
      reach.map((start, k) => {
        if (start === null) return undefined as never;
        const nextReach = reach[k + 1] ?? null;
        const prevReach = k > 0 ? (reach[k - 1] ?? null) : null;
        const next = nextReach !== null && nextReach >= start ? nextReach : null;
        return {
          start,
          next,
          sincePrev: prevReach !== null && prevReach <= start ? start - prevReach : null,
          converted: goals.some((t) => t >= start),
          goalAt: Math.min(...goals.filter((t) => t >= start), Infinity),
          events: sorted.filter((e) => e.ts >= start && (next === null || e.ts < next)),
        };
      }),
    );
  }

  const names = stages.map((s) => s.name);
  return members.map((users) => {
    const stageCells = names.map((stage, k) => {
      const at = users.flatMap((u) => {
        const c = cells.get(u)?.[k];
        return c ? [{ user: u, ...c }] : [];
      });
      const n = at.length;
      const converted = at.filter((c) => c.converted).length;
      const gaps = at
        .flatMap((c) => (c.sincePrev === null ? [] : [c.sincePrev]))
        .sort((a, b) => a - b);
      const median =
        gaps.length === 0
          ? null
          : round(
              ((gaps[Math.floor((gaps.length - 1) / 2)] as number) +
                (gaps[Math.floor(gaps.length / 2)] as number)) /
                2 /
                1e6,
              3,
            );
      const last = k === names.length - 1;
      const progressed = last ? null : at.filter((c) => c.next !== null).length;
      // Touchpoints: distinct per user.
      const touch = new Map<
        string,
        { kind: string; label: string; users: number; converted: number }
      >();
      for (const c of at) {
        const seen = new Set<string>();
        // Only what came before the goal event counts as a touchpoint.
        for (const e of c.events.filter((x) => x.ts < c.goalAt)) {
          const labels: [string, string | null][] = [
            ['event', e.name === goal ? null : e.name],
            ['page', e.page],
            ['title', e.title],
            ['search', e.search],
            ['item', e.item],
            [
              'channel',
              e.source !== null || e.medium !== null
                ? channelGroup(e.source, e.medium, e.campaign)
                : null,
            ],
          ];
          for (const [kind, label] of labels) {
            if (label === null || seen.has(`${kind}\u0000${label}`)) continue;
            seen.add(`${kind}\u0000${label}`);
            const t = touch.get(`${kind}\u0000${label}`) ?? { kind, label, users: 0, converted: 0 };
            t.users += 1;
            if (c.converted) t.converted += 1;
            touch.set(`${kind}\u0000${label}`, t);
          }
        }
      }
      const moments = [...touch.values()]
        .map((t) => {
          const notN = n - t.users;
          const notC = converted - t.converted;
          const d = notN > 0 ? t.converted / t.users - notC / notN : 0;
          return { t, notN, notC, d };
        })
        .filter((m) => m.t.users >= opts.minSupport && m.notN >= opts.minSupport && m.d !== 0)
        .sort(
          (a, b) =>
            Math.abs(b.d) - Math.abs(a.d) ||
            b.t.users - a.t.users ||
            cmp(a.t.kind, b.t.kind) ||
            cmp(a.t.label, b.t.label),
        )
        .slice(0, opts.moments)
        .map((m) => {
          const p1 = m.t.converted / m.t.users;
          const p2 = m.notC / m.notN;
          const [l1, u1] = wilson(m.t.converted, m.t.users);
          const [l2, u2] = wilson(m.notC, m.notN);
          return {
            stage,
            kind: m.t.kind,
            label: m.t.label,
            did: {
              users: m.t.users,
              converted: m.t.converted,
              rate: ratio(m.t.converted, m.t.users),
            },
            didNot: { users: m.notN, converted: m.notC, rate: ratio(m.notC, m.notN) },
            difference: round(m.d),
            interval: [
              round(m.d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)),
              round(m.d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)),
            ],
          };
        });
      const stake = (x: number) => round(x * (n > 0 ? converted / n : 0), 2);
      const pains: {
        stage: string;
        kind: string;
        label: string;
        users: number;
        conversionsAtStake: number;
      }[] = [];
      if (progressed !== null && n - progressed > 0) {
        pains.push({
          stage,
          kind: 'drop_off',
          label: `left before ${names[k + 1] as string}`,
          users: n - progressed,
          conversionsAtStake: stake(n - progressed),
        });
      }
      if (!last) {
        const exits = new Map<string, number>();
        for (const c of at.filter((x) => x.next === null && !x.converted)) {
          const pages = c.events.filter((e) => e.page !== null);
          const lastPage = [...pages].sort((a, b) => order(b, a) || cmp(b.page, a.page))[0];
          if (lastPage)
            exits.set(lastPage.page as string, (exits.get(lastPage.page as string) ?? 0) + 1);
        }
        [...exits]
          .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))
          .slice(0, opts.topPages)
          .forEach(([page, users]) =>
            pains.push({
              stage,
              kind: 'exit_page',
              label: page,
              users,
              conversionsAtStake: stake(users),
            }),
          );
      }
      const signals = {
        repeated_search: 0,
        repeated_checkout: 0,
        form_abandoned: 0,
        error_page: 0,
        long_gap: 0,
      };
      for (const c of at) {
        const count = (name: string) => c.events.filter((e) => e.name === name).length;
        if (count('view_search_results') >= 2) signals.repeated_search += 1;
        if (['begin_checkout', 'add_shipping_info', 'add_payment_info'].some((x) => count(x) >= 2))
          signals.repeated_checkout += 1;
        if (count('form_start') > 0 && count('form_submit') === 0) signals.form_abandoned += 1;
        if (
          c.events.some(
            (e) =>
              /404|not found|error/.test((e.title ?? '').toLowerCase()) || /404/.test(e.page ?? ''),
          )
        )
          signals.error_page += 1;
        const bySession = new Map<number, Ev[]>();
        for (const e of c.events)
          if (e.session !== null)
            bySession.set(e.session, [...(bySession.get(e.session) ?? []), e]);
        if (
          [...bySession.values()].some((list) =>
            list.some((e, i) => i > 0 && e.ts - (list[i - 1] as Ev).ts > opts.longGapSeconds * 1e6),
          )
        ) {
          signals.long_gap += 1;
        }
      }
      for (const [kind, users] of Object.entries(signals)) {
        if (users > 0)
          pains.push({
            stage,
            kind,
            label: SIGNAL_LABELS[kind] as string,
            users,
            conversionsAtStake: stake(users),
          });
      }
      return {
        stage,
        users: n,
        converted,
        progressed,
        medianSecondsSincePrevious: median,
        moments,
        pains,
      };
    });
    const rank = (
      a: { conversionsAtStake: number; users: number; stage: string; kind: string; label: string },
      b: typeof a,
    ) =>
      b.conversionsAtStake - a.conversionsAtStake ||
      b.users - a.users ||
      names.indexOf(a.stage) - names.indexOf(b.stage) ||
      cmp(a.kind, b.kind) ||
      cmp(a.label, b.label);
    return {
      users: users.length,
      stages:
        users.length === 0 ? [] : stageCells.map((s) => ({ ...s, pains: [...s.pains].sort(rank) })),
      opportunities:
        users.length === 0
          ? []
          : stageCells
              .flatMap((s) => s.pains)
              .sort(rank)
              .slice(0, 5),
    };
  });
}
