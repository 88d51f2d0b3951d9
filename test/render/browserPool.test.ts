import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { BrowserPool } from '../../src/render/browserPool.js';
import { BrowserNotFoundError, findChrome } from '../../src/render/findChrome.js';
import { renderPdf } from '../../src/render/renderPdf.js';

describe('system Chromium', () => {
  it('is found without configuration, and a missing one names the fix', () => {
    expect(findChrome({})).toMatch(/chrom/i);
    expect(() => findChrome({}, ['/nonexistent/chromium'])).toThrow(BrowserNotFoundError);
    expect(() => findChrome({}, ['/nonexistent/chromium'])).toThrow(/apt-get install chromium/);
    expect(() => findChrome({}, ['/nonexistent/chromium'])).toThrow(/PATHLIGHT_BROWSER_PATH/);
    expect(() => findChrome({ PATHLIGHT_BROWSER_PATH: '/nope/chrome' })).toThrow(
      /PATHLIGHT_BROWSER_PATH=\/nope\/chrome/,
    );
    expect(findChrome({ PATHLIGHT_BROWSER_PATH: process.execPath })).toBe(process.execPath);
  });
});

/** Running, not gone and not an exited zombie (state Z) waiting to be reaped. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The processes whose parent is `pid` (Chromium's zygote, GPU and renderer processes). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

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

  it('no cookies carried over from one job to the next', async () => {
    await pool.withPage(async (page) => {
      await page.goto('about:blank');
      await page.evaluate(() => sessionStorage.setItem('x', '1')).catch(() => undefined);
    });
    const count = await pool.withPage(
      async (page) => (await page.browserContext().cookies()).length,
    );
    expect(count).toBe(0);
  });

  const meta = { title: 'T', rangeLabel: 'R', generatedLabel: 'G' };

  it('never prints a page whose ready marker is not set: a loud timeout instead', async () => {
    await expect(
      renderPdf(pool, '<html><body><p>half drawn</p></body></html>', meta, {
        readyTimeoutMs: 400,
      }),
    ).rejects.toThrow('report page was not ready after 400 ms (ready marker never set)');
  });

  it('prints once the marker is set, and fetches nothing from outside', async () => {
    let fetched = 0;
    const server = createServer((_req, res) => {
      fetched++;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const html =
        `<html><head><link rel="stylesheet" href="http://127.0.0.1:${port}/font.css"></head>` +
        `<body><p>ready</p><img src="http://127.0.0.1:${port}/x.png">` +
        "<script>document.body.setAttribute('data-report-ready','true')</script></body></html>";
      const pdf = await renderPdf(pool, html, meta, { readyTimeoutMs: 2000 });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(fetched).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('close() ends the browser process within its deadline', async () => {
    const own = new BrowserPool({ pages: 1, closeTimeoutMs: 1000 });
    await own.withPage((page) => page.setContent('<p>x</p>'));
    const pid = own.pid as number;
    await own.close();
    // Gone, or exited and not yet reaped (a zombie, state Z): either way no longer running.
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    expect(running()).toBe(false);
  });
  it('close() kills a browser that hangs on close, once the deadline passes', async () => {
    const own = new BrowserPool({ pages: 1, closeTimeoutMs: 1000 });
    await own.withPage((page) => page.setContent('<p>x</p>'));
    const pid = own.pid as number;
    const children = childrenOf(pid);
    // A stopped process answers nothing: `browser.close()` alone would wait for it forever.
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      await own.close();
      const took = Date.now() - started;
      expect(took).toBeGreaterThanOrEqual(1000);
      expect(took).toBeLessThan(10_000);
      expect(running(pid)).toBe(false);
    } finally {
      // Whatever outlived the test is ours: end it by pid.
      for (const child of [pid, ...children]) {
        if (running(child)) process.kill(child, 'SIGKILL');
      }
    }
  });
});

describe('warm pages', () => {
  it('reuse the page of a clean job with its settings put back, and never the page of a failed one', async () => {
    const pool = new BrowserPool({ pages: 1 });
    try {
      const first = await pool.withPage(async (page) => {
        await page.setViewport({ width: 390, height: 700, deviceScaleFactor: 2 });
        await page.setRequestInterception(true);
        page.on('request', (request) => void request.abort('blockedbyclient'));
        return page;
      });
      const second = await pool.withPage(async (page) => {
        // The refusing listener is gone: a data: document loads.
        await page.goto('data:text/html,<p>ok</p>');
        return {
          page,
          viewport: page.viewport(),
          text: await page.$eval('p', (p) => p.textContent),
        };
      });
      expect(second.page).toBe(first);
      expect(second.viewport).toEqual({ width: 800, height: 600, deviceScaleFactor: 1 });
      expect(second.text).toBe('ok');
      await expect(
        pool.withPage(async () => {
          throw new Error('job failed');
        }),
      ).rejects.toThrow('job failed');
      const third = await pool.withPage(async (page) => page);
      expect(third).not.toBe(first);
      expect(first.isClosed()).toBe(true);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
