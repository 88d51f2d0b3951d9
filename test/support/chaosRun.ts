import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { migrate } from '../../src/store/migrate.js';
import { SchedulesRepo } from '../../src/store/schedulesRepo.js';
import { storeKinds, TEST_DATABASE_URL } from './stores.js';

/** A schedule of the run and every slot it must run, as UTC instants worked out by hand. */
export interface ChaosSchedule {
  readonly id: string;
  readonly cron: string;
  readonly timeZone: string;
  readonly slots: readonly string[];
}

/** The calendar the instances read: `start` at the real epoch, `speed` simulated ms per real ms, standing at `end`. */
export interface ChaosClock {
  readonly start: Date;
  readonly end: Date;
  readonly speed: number;
}

/** What the instances run: their schedules, the grace for a late tick, and a simulated clock if any. */
export interface ChaosPlan {
  readonly schedules: readonly ChaosSchedule[];
  readonly graceMs: number;
  readonly clock?: ChaosClock;
}

/** `n` daily schedules in UTC due at the minute that has just begun (the next slot is a day away). */
export function oneSlotPlan(n: number): ChaosPlan {
  const slot = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  return {
    graceMs: 15 * 60_000,
    schedules: Array.from({ length: n }, (_, i) => ({
      id: `s${i}`,
      cron: `${slot.getUTCMinutes()} ${slot.getUTCHours()} * * *`,
      timeZone: 'UTC',
      slots: [slot.toISOString()],
    })),
  };
}

export interface ChaosOptions {
  readonly plan: ChaosPlan;
  /** The DuckDB file the instances render from. */
  readonly file: string;
  /** The lease of a run: how long a killed instance's runs wait before the other takes them. */
  readonly leaseMs: number;
  /** The share of all messages accepted before one instance is killed. */
  readonly killAt: number;
  /** How long, once both instances tick, the run may take to reach each point it waits for. */
  readonly timeoutMs: number;
  readonly log?: (line: string) => void;
}

/** What arrived at the SMTP peer and what the store says, after the whole fleet has finished. */
export interface ChaosCounts {
  /** (schedule, slot, recipient) keys the plan expects. */
  readonly expected: number;
  readonly exactlyOnce: number;
  readonly missing: number;
  /** Keys that arrived and the plan does not expect: a slot doubled or invented, or a stray message. */
  readonly unexpected: number;
  /** Per cron and zone: the slots expected, and for each slot that ran, how many schedules ran it. */
  readonly slots: { schedule: string; expected: readonly string[]; ran: Record<string, number> }[];
  /** Keys that arrived more than once, and the extra copies. */
  readonly duplicatedKeys: number;
  readonly extraCopies: number;
  /** Extra copies in the documented window: first accepted from the killed instance, which never recorded it, then resent with the same Message-ID. */
  readonly windowCopies: number;
  /** Sends the kill cut off (attempts left `sending`): the most the window can hold. */
  readonly cutAttempts: number;
  readonly accepted: number;
  readonly acceptedByInstance: Record<string, number>;
  readonly answered421: number;
  readonly dropped: number;
  readonly runs: Record<string, number>;
  readonly deliveries: Record<string, number>;
  readonly attempts: number;
  readonly killedAfterAccepted: number;
  /** The instance killed: the first that had sent once `killAt` of the messages were accepted. */
  readonly killed: string;
  readonly seconds: number;
}

const RECIPIENTS = 3;
const recipientsOf = (id: string) =>
  Array.from({ length: RECIPIENTS }, (_, r) => `${id}.r${r}@example.com`);

interface Accepted {
  readonly rcpt: string;
  readonly messageId: string;
  readonly instance: string;
}

/** An SMTP peer answering 421 to every 7th message and dropping one connection mid-DATA. */
async function faultyPeer(dropAt: number) {
  const accepted: Accepted[] = [];
  const sockets = new Map<number, Socket>();
  let messages = 0;
  let answered421 = 0;
  let dropped = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      messages += 1;
      const n = messages;
      if (n === dropAt) {
        stream.once('data', () => {
          dropped += 1;
          sockets.get(session.remotePort)?.destroy();
        });
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (n % 7 === 0) {
          answered421 += 1;
          const error = new Error('4.3.2 try again later') as Error & { responseCode: number };
          error.responseCode = 421;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const messageId = /^Message-ID:\s*(<[^>]+>)/im.exec(raw)?.[1] ?? '';
        for (const rcpt of session.envelope.rcptTo)
          accepted.push({
            rcpt: rcpt.address,
            messageId,
            instance: String(session.hostNameAppearsAs),
          });
        callback(null, 'Ok: queued');
      });
    },
  });
  // The dropped connection's reset is the fault this peer injects, not a failure of the run.
  server.on('error', () => undefined);
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0;
    sockets.set(port, socket);
    socket.on('close', () => sockets.delete(port));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    accepted,
    counts: () => ({ answered421, dropped }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function startInstance(url: string, smtp: string, options: ChaosOptions, name: string) {
  const clock = options.plan.clock;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      new URL('./chaosInstance.ts', import.meta.url).pathname,
      url,
      smtp,
      options.file,
      name,
      String(options.leaseMs),
      String(options.plan.graceMs),
      ...(clock ? [clock.start, clock.speed, clock.end].map((v) => String(Number(v))) : []),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const said = (word: string) =>
    new Promise<void>((resolve) =>
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes(word)) resolve();
      }),
    );
  const open = said('open');
  const ready = said('ready');
  /** Starts its loop, on the clock that read the simulated start at `realEpoch`. */
  const go = (realEpoch: number) => child.stdin?.write(`go ${realEpoch}\n`);
  return { child, exited, open, ready, go };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean> | boolean, deadline: number, what: string) {
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`chaos run: timed out waiting for ${what}`);
    await sleep(100);
  }
}

/**
 * Two instances tick against one fresh PostgreSQL schema; the plan's schedules × 3 recipients come
 * due at their slots; one instance is killed with SIGKILL once `killAt` of the messages are
 * accepted, then started again. Counts every (schedule, slot, recipient) at the peer once the
 * store says done (and, with a simulated clock, once it has reached its end).
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosCounts> {
  const log = options.log ?? (() => undefined);
  const began = Date.now();
  const store = await storeKinds.postgres();
  const peer = await faultyPeer(5);
  const instances: ReturnType<typeof startInstance>[] = [];
  try {
    const db = store.db;
    await migrate(db);
    const schema = (await db.query<{ s: string }>('SELECT current_schema() AS s'))[0]?.s;
    const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    await db.query(`INSERT INTO reports (id, definition) VALUES ('weekly', $1::jsonb)`, [
      JSON.stringify({
        title: 'Weekly journeys',
        goal: { event: 'purchase' },
        dateRange: 'last_week',
        sections: [{ type: 'kpi_summary' }],
      }),
    ]);
    const { plan } = options;
    const repo = new SchedulesRepo(db);
    for (const schedule of plan.schedules)
      await repo.save({
        id: schedule.id,
        reportId: 'weekly',
        name: `Schedule ${schedule.id}`,
        cron: schedule.cron,
        timeZone: schedule.timeZone,
        recipients: { to: recipientsOf(schedule.id) },
        formats: { pdf: false, inline: true },
        owner: 'owner@example.com',
      });
    const firstSlot = Math.min(...plan.schedules.flatMap((p) => p.slots.map((t) => Date.parse(t))));
    await db.query(`UPDATE schedules SET checked_until = $1, created_at = $1`, [
      plan.clock?.start ?? new Date(firstSlot - 60_000),
    ]);
    const expectedRuns = plan.schedules.reduce((sum, p) => sum + p.slots.length, 0);
    const expected = expectedRuns * RECIPIENTS;
    const a = startInstance(url, peer.url, options, 'instance-a');
    const b = startInstance(url, peer.url, options, 'instance-b');
    instances.push(a, b);
    await Promise.all([a.open, b.open]);
    // The simulated clock starts once both can tick, so a slow start-up cannot eat into it.
    const realEpoch = Date.now();
    // Counted from here: starting the instances (seconds each on a loaded machine) is not what
    // the waits below are about, and had eaten most of a deadline counted from the start.
    const deadline = realEpoch + options.timeoutMs;
    a.go(realEpoch);
    b.go(realEpoch);
    await Promise.all([a.ready, b.ready]);
    // When the simulated clock stands at its end: nothing can come due after.
    const clockEnds = plan.clock
      ? realEpoch + (plan.clock.end.getTime() - plan.clock.start.getTime()) / plan.clock.speed
      : realEpoch;
    log('both instances ticking');
    // Whichever instance has sent is killed: with few runs one instance can claim them all, and
    // waiting for a chosen one to send could wait for ever.
    const sentBy = (name: string) => peer.accepted.filter((m) => m.instance === name).length;
    const fleet = { 'instance-a': a, 'instance-b': b };
    let killed: keyof typeof fleet = 'instance-a';
    await until(
      () => {
        if (peer.accepted.length < Math.ceil(expected * options.killAt)) return false;
        const sender = (Object.keys(fleet) as (keyof typeof fleet)[]).find((n) => sentBy(n) > 0);
        if (sender) killed = sender;
        return sender !== undefined;
      },
      deadline,
      'an instance to be mid-drain',
    );
    const victim = fleet[killed];
    const survivor = killed === 'instance-a' ? b : a;
    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAfterAccepted = peer.accepted.length;
    log(`killed ${killed} (SIGKILL) after ${killedAfterAccepted} of ${expected} messages`);
    const again = startInstance(url, peer.url, options, `${killed}-again`);
    instances.push(again);
    await again.open;
    again.go(realEpoch);
    await again.ready;
    log(`${killed} started again`);
    await until(
      async () => {
        // A few ticks after the clock stopped, so every instance has looked at the last instant.
        if (Date.now() < clockEnds + 1000) return false;
        const [left] = await db.query<{ n: string }>(
          `SELECT (SELECT COUNT(*) FROM runs WHERE status IN ('claimed', 'running'))
                + (SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'sending')) AS n`,
        );
        const runs = await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM runs');
        return Number(runs[0]?.n) >= expectedRuns && Number(left?.n) === 0;
      },
      deadline,
      'every run to finish',
    );
    for (const each of [again, survivor]) {
      each.child.kill('SIGTERM');
      await each.exited;
    }
    return await count(db, peer, plan, {
      expected,
      killedAfterAccepted,
      killed,
      seconds: (Date.now() - began) / 1000,
    });
  } finally {
    for (const each of instances) if (each.child.exitCode === null) each.child.kill('SIGKILL');
    await peer.close();
    await store.dispose();
  }
}

async function count(
  db: Awaited<ReturnType<(typeof storeKinds)['postgres']>>['db'],
  peer: Awaited<ReturnType<typeof faultyPeer>>,
  plan: ChaosPlan,
  run: { expected: number; killedAfterAccepted: number; killed: string; seconds: number },
): Promise<ChaosCounts> {
  // (schedule, slot, recipient) of each Message-ID, from the store's deliveries.
  const rows = await db.query<{
    message_id: string;
    schedule_id: string;
    slot: Date;
    recipient: string;
  }>(
    `SELECT d.message_id, r.schedule_id, r.slot, d.recipient
     FROM deliveries d JOIN runs r ON r.id = d.run_id`,
  );
  const keyOf = new Map(
    rows.map((r) => [
      `<${r.message_id.replace(/^<|>$/g, '')}>`,
      `${r.schedule_id} ${new Date(r.slot).toISOString()} ${r.recipient}`,
    ]),
  );
  const expectedKeys = new Set(
    plan.schedules.flatMap((p) =>
      p.slots.flatMap((slot) => recipientsOf(p.id).map((to) => `${p.id} ${slot} ${to}`)),
    ),
  );
  const copies = new Map<string, Accepted[]>();
  for (const message of peer.accepted) {
    const key = keyOf.get(message.messageId) ?? `unknown ${message.messageId} ${message.rcpt}`;
    copies.set(key, [...(copies.get(key) ?? []), message]);
  }
  const received = [...copies.values()];
  const duplicated = received.filter((c) => c.length > 1);
  // A documented copy: the first one came from the killed instance (its last bytes may reach the
  // peer just after the kill), which never recorded it.
  const windowCopies = duplicated.filter((c) => c[0]?.instance === run.killed).length;
  const tally = async (sql: string) =>
    Object.fromEntries(
      (await db.query<{ status: string; n: string }>(sql)).map((r) => [r.status, Number(r.n)]),
    );
  const [cut] = await db.query<{ n: string }>(
    `SELECT COUNT(*) AS n FROM attempts WHERE status = 'sending'`,
  );
  const [attempts] = await db.query<{ n: string }>('SELECT COUNT(*) AS n FROM attempts');
  const byInstance: Record<string, number> = {};
  for (const m of peer.accepted) byInstance[m.instance] = (byInstance[m.instance] ?? 0) + 1;
  return {
    expected: run.expected,
    exactlyOnce: [...expectedKeys].filter((k) => copies.get(k)?.length === 1).length,
    missing: [...expectedKeys].filter((k) => !copies.has(k)).length,
    unexpected: [...copies.keys()].filter((k) => !expectedKeys.has(k)).length,
    slots: await slotsRan(db, plan),
    duplicatedKeys: duplicated.length,
    extraCopies: duplicated.reduce((sum, c) => sum + c.length - 1, 0),
    windowCopies,
    cutAttempts: Number(cut?.n),
    accepted: peer.accepted.length,
    acceptedByInstance: byInstance,
    ...peer.counts(),
    runs: await tally('SELECT status, COUNT(*) AS n FROM runs GROUP BY status'),
    deliveries: await tally('SELECT status, COUNT(*) AS n FROM deliveries GROUP BY status'),
    attempts: Number(attempts?.n),
    killedAfterAccepted: run.killedAfterAccepted,
    killed: run.killed,
    seconds: run.seconds,
  };
}

/** Per cron and zone of the plan: the slots expected, and how many of its schedules ran each slot. */
async function slotsRan(
  db: Awaited<ReturnType<(typeof storeKinds)['postgres']>>['db'],
  plan: ChaosPlan,
): Promise<ChaosCounts['slots']> {
  const runs = await db.query<{ schedule_id: string; slot: Date }>(
    `SELECT schedule_id, slot FROM runs WHERE status <> 'skipped'`,
  );
  const kindOf = new Map(plan.schedules.map((p) => [p.id, `${p.cron} ${p.timeZone}`]));
  const kinds = new Map<string, ChaosCounts['slots'][number]>();
  for (const p of plan.schedules)
    kinds.set(`${p.cron} ${p.timeZone}`, {
      schedule: `${p.cron} ${p.timeZone}`,
      expected: p.slots,
      ran: {},
    });
  for (const r of runs) {
    const kind = kinds.get(kindOf.get(r.schedule_id) ?? '');
    const slot = new Date(r.slot).toISOString();
    if (kind) kind.ran[slot] = (kind.ran[slot] ?? 0) + 1;
  }
  return [...kinds.values()];
}
