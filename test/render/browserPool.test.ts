import { afterAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../../src/render/browserPool.js';
import { BrowserNotFoundError, findChrome } from '../../src/render/findChrome.js';

describe('system Chromium', () => {
  it('is found without configuration, and a missing one names the fix', () => {
    expect(findChrome({})).toMatch(/chrom/i);
    expect(() => findChrome({}, ['/nonexistent/chromium'])).toThrow(BrowserNotFoundError);
    expect(() => findChrome({}, ['/nonexistent/chromium'])).toThrow(/apt-get install chromium/);
    expect(() => findChrome({ PATHLIGHT_CHROME: '/nope/chrome' })).toThrow(/PATHLIGHT_CHROME/);
  });
});

describe('browser pool', () => {
  const pool = new BrowserPool({ pages: 2, recycleAfter: 3, closeTimeoutMs: 2000 });
  afterAll(() => pool.close());

  const title = () =>
    pool.withPage(async (page) => {
      await page.setContent('<title>ok</title>');
      return page.title();
    });

  it('relaunches after the browser dies, and recycles after N jobs', async () => {
    expect(await title()).toBe('ok');
    const first = pool.pid;
    expect(first).toBeDefined();
    process.kill(first as number, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    expect(await title()).toBe('ok');
    const second = pool.pid;
    expect(second).not.toBe(first);
    await Promise.all([title(), title(), title()]);
    expect(pool.pid).not.toBe(second);
  });

  it('a fresh context per job: no cookies or storage carried over', async () => {
    await pool.withPage(async (page) => {
      await page.goto('about:blank');
      await page.evaluate(() => sessionStorage.setItem('x', '1')).catch(() => undefined);
    });
    const count = await pool.withPage(
      async (page) => (await page.browserContext().cookies()).length,
    );
    expect(count).toBe(0);
  });
});
