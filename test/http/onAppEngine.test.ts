import { describe, expect, it } from 'vitest';
import { onAppEngine } from '../../src/http/onAppEngine.js';

describe('onAppEngine', () => {
  it('holds on App Engine standard and flexible only, never on Cloud Run', () => {
    // The variables App Engine sets on every instance (standard adds GAE_ENV, flexible does not).
    expect(
      onAppEngine({ GAE_SERVICE: 'default', GAE_INSTANCE: 'aef-1', GAE_ENV: 'standard' }),
    ).toBe(true);
    expect(onAppEngine({ GAE_SERVICE: 'default', GAE_INSTANCE: 'aef-1' })).toBe(true);
    expect(onAppEngine({ K_SERVICE: 'pathlight', K_REVISION: 'pathlight-00001' })).toBe(false);
    expect(onAppEngine({ GAE_SERVICE: 'default' })).toBe(false);
    expect(onAppEngine({})).toBe(false);
  });
});
