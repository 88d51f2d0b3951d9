import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core';
import { findChrome } from './findChrome.js';

/** Flags for a machine without network: no first-run, sync, component or QUIC connections to hang on. */
export const CHROME_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--font-render-hinting=none',
];

export interface BrowserPoolOptions {
  readonly executablePath?: string;
  /** Jobs that run at once, each in its own context and page. */
  readonly pages?: number;
  /** The browser is replaced after this many jobs (leaks stay bounded). */
  readonly recycleAfter?: number;
  readonly launchTimeoutMs?: number;
  /** How long `close()` waits before the process is killed (some builds hang on close). */
  readonly closeTimeoutMs?: number;
  /**
   * Keep pages open between jobs (default): a job then skips creating a context and a page. Off,
   * every job gets a fresh incognito context, closed after it.
   */
  readonly warmPages?: boolean;
}

/** Chromium may still be writing its profile as it exits; a leftover temp dir is not an error. */
function removeDir(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
  } catch {
    // left for the OS's tmp cleaner
  }
}

interface Launched {
  readonly browser: Browser;
  readonly userDataDir: string;
  jobs: number;
  active: number;
  retired: boolean;
  /** Warm pages waiting for the next job, each in its own context. */
  readonly idle: { context: BrowserContext; page: Page }[];
}

/** What a job may have changed on a page, put back before the page waits for the next job. */
async function resetPage(page: Page): Promise<void> {
  page.removeAllListeners('request');
  await page.setRequestInterception(false);
  await page.setViewport({ width: 800, height: 600, deviceScaleFactor: 1 });
}

/** One browser, a few concurrent pages, a fresh incognito context per job; relaunched on disconnect. */
export class BrowserPool {
  private current: Launched | null = null;
  private launching: Promise<Launched> | null = null;
  private readonly waiting: (() => void)[] = [];
  private running = 0;
  private closed = false;
  readonly options: Required<Omit<BrowserPoolOptions, 'executablePath'>> & {
    executablePath?: string;
  };

  constructor(options: BrowserPoolOptions = {}) {
    this.options = {
      pages: options.pages ?? 2,
      recycleAfter: options.recycleAfter ?? 100,
      launchTimeoutMs: options.launchTimeoutMs ?? 20_000,
      closeTimeoutMs: options.closeTimeoutMs ?? 3_000,
      warmPages: options.warmPages ?? true,
      ...(options.executablePath ? { executablePath: options.executablePath } : {}),
    };
  }

  /** Runs `job` with a page: a warm one when there is one, else a new one. */
  async withPage<T>(job: (page: Page) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('browser pool is closed');
    await this.acquireSlot();
    let launched: Launched | null = null;
    try {
      launched = await this.browser();
      launched.jobs++;
      launched.active++;
      let lease;
      try {
        lease = await this.page(launched);
      } catch (error) {
        // A browser that died before its 'disconnected' event arrived: retire it, retry once on a new one.
        if (launched.browser.process()?.exitCode === null && launched.browser.connected)
          throw error;
        if (this.current === launched) this.current = null;
        launched.active--;
        launched = await this.browser();
        launched.jobs++;
        launched.active++;
        lease = await this.page(launched);
      }
      let done = false;
      try {
        const result = await job(lease.page);
        done = true;
        return result;
      } finally {
        await lease.release(done).catch(() => undefined);
      }
    } finally {
      if (launched) {
        launched.active--;
        if (launched.retired && launched.active === 0) void this.shutdown(launched);
      }
      this.releaseSlot();
    }
  }

  /** A page for one job, and how to give it back: kept warm after a clean job, else closed. */
  private async page(
    launched: Launched,
  ): Promise<{ page: Page; release: (clean: boolean) => Promise<void> }> {
    // A context of its own per page: a page sharing a window with another is a background tab,
    // and Chromium stops drawing background tabs (screenshots then never finish).
    const warm = this.options.warmPages ? launched.idle.pop() : undefined;
    const fresh = async () => {
      const context = await launched.browser.createBrowserContext();
      try {
        return { context, page: await context.newPage() };
      } catch (error) {
        await context.close().catch(() => undefined);
        throw error;
      }
    };
    const lease = warm ?? (await fresh());
    return {
      page: lease.page,
      release: async (clean) => {
        if (!this.options.warmPages || !clean || launched.retired || !launched.browser.connected) {
          await lease.context.close();
          return;
        }
        await resetPage(lease.page);
        launched.idle.push(lease);
      },
    };
  }

  /** Closes the browser: politely first, then SIGKILL after the deadline. */
  async close(): Promise<void> {
    this.closed = true;
    const launched = this.current ?? (await this.launching?.catch(() => null)) ?? null;
    this.current = null;
    if (launched) await this.shutdown(launched);
  }

  /** The pid of the running browser, for tests and diagnostics. */
  get pid(): number | undefined {
    return this.current?.browser.process()?.pid;
  }

  private async browser(): Promise<Launched> {
    const current = this.current;
    if (current && current.browser.connected && current.jobs < this.options.recycleAfter)
      return current;
    if (current) {
      // Recycle: new jobs go to a new browser; the old one closes when its last job ends.
      current.retired = true;
      this.current = null;
      if (current.active === 0) void this.shutdown(current);
    }
    this.launching ??= this.launch().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  private async launch(): Promise<Launched> {
    const userDataDir = mkdtempSync(join(tmpdir(), 'pathlight-chrome-'));
    const browser = await puppeteer.launch({
      executablePath: this.options.executablePath ?? findChrome(),
      headless: true,
      args: [...CHROME_FLAGS, `--user-data-dir=${userDataDir}`],
      timeout: this.options.launchTimeoutMs,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const launched: Launched = {
      browser,
      userDataDir,
      jobs: 0,
      active: 0,
      retired: false,
      idle: [],
    };
    browser.on('disconnected', () => {
      // A crashed browser is replaced by the next job.
      if (this.current === launched) this.current = null;
      removeDir(userDataDir);
    });
    this.current = launched;
    return launched;
  }

  private async shutdown(launched: Launched): Promise<void> {
    const process = launched.browser.process();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.closeTimeoutMs);
    });
    const outcome = await Promise.race([
      launched.browser.close().then(
        () => 'closed' as const,
        () => 'failed' as const,
      ),
      deadline,
    ]);
    clearTimeout(timer);
    if (outcome !== 'closed' && process && process.exitCode === null) process.kill('SIGKILL');
    removeDir(launched.userDataDir);
  }

  private acquireSlot(): Promise<void> {
    if (this.running < this.options.pages) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private releaseSlot(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.running--;
  }
}
