import { accessSync, constants } from 'node:fs';

/** Where Debian, Ubuntu, Fedora, Alpine and Google's packages put Chromium or Chrome. */
export const CHROME_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/lib/chromium/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/opt/google/chrome/chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** No Chromium or Chrome on this machine: PDF is impossible, HTML still renders. */
export class BrowserNotFoundError extends Error {
  readonly code = 'browser_not_found';
  constructor(tried: string[]) {
    super(
      `no Chromium or Chrome found (tried ${tried.join(', ')}); install one with ` +
        '`apt-get install chromium` (Debian/Ubuntu) or set PATHLIGHT_BROWSER_PATH to its path. HTML reports still work.',
    );
    this.name = 'BrowserNotFoundError';
  }
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** PATHLIGHT_BROWSER_PATH if set (it must exist), else the first system browser found. */
export function findChrome(env: NodeJS.ProcessEnv = process.env, paths = CHROME_PATHS): string {
  const configured = env.PATHLIGHT_BROWSER_PATH;
  if (configured) {
    if (executable(configured)) return configured;
    throw new BrowserNotFoundError([`PATHLIGHT_BROWSER_PATH=${configured}`]);
  }
  const found = paths.find(executable);
  if (!found) throw new BrowserNotFoundError(paths);
  return found;
}
