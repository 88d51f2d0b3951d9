import { describe, expect, it } from 'vitest';
import { backoffMs, classifyError } from '../../src/delivery/classifyError.js';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('failure classes', () => {
  it('retries SMTP 4xx, dropped connections and browser crashes; fails 5xx and our own errors', () => {
    const cases: [unknown, 'transient' | 'permanent'][] = [
      [Object.assign(new Error('try later'), { responseCode: 421 }), 'transient'],
      [Object.assign(new Error('greylisted'), { responseCode: 451 }), 'transient'],
      [Object.assign(new Error('no such user'), { responseCode: 550 }), 'permanent'],
      [Object.assign(new Error('too big'), { responseCode: 552 }), 'permanent'],
      [Object.assign(new Error('reset'), { code: 'ECONNRESET' }), 'transient'],
      [Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' }), 'transient'],
      [named('TargetCloseError', 'Protocol error (Page.printToPDF): Target closed'), 'transient'],
      [named('ProtocolError', 'Protocol error: Connection closed.'), 'transient'],
      [named('TimeoutError', 'Waiting for selector `body` failed'), 'transient'],
      [new Error('Navigating frame was detached: browser has disconnected'), 'transient'],
      [new Error('Parse error on line 3: Expecting ID, got EOF'), 'permanent'],
      [Object.assign(new Error('render timed out'), { transient: true }), 'transient'],
      [Object.assign(new Error('no report weekly'), { transient: false }), 'permanent'],
    ];
    for (const [error, kind] of cases)
      expect([String(error), classifyError(error)]).toEqual([String(error), kind]);
  });

  it('waits a random share of base * 2^attempt, capped', () => {
    expect(backoffMs(1, 1000, 30_000, () => 1)).toBe(2000);
    expect(backoffMs(3, 1000, 30_000, () => 0.5)).toBe(4000);
    expect(backoffMs(10, 1000, 30_000, () => 1)).toBe(30_000);
    expect(backoffMs(2, 1000, 30_000, () => 0)).toBe(0);
  });
});
