// One way to start a headless browser for the project's browser tests: Debian's chromium driven
// by playwright-core. Nothing here downloads a browser (playwright's own download fails offline
// and is never wanted); a missing chromium is an error that says how to install it.
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Flags that keep chromium from reaching the network on its own (updates, sync, QUIC probes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The chromium binary to drive: `CLAB_CHROMIUM` when set, else Debian's `/usr/bin/chromium`.
 * @throws when the binary is missing, naming the path and the command that installs it
 */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  const p = env.CLAB_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(p)) {
    throw new Error(
      `launchChromium: no browser at ${p}. Install Debian's chromium (apt-get install -y chromium) ` +
        `or set CLAB_CHROMIUM to a Chromium/Chrome binary.`,
    );
  }
  return p;
}

/** Options for {@link launchChromium}. */
export interface LaunchOptions {
  /** Block every request that is not to 127.0.0.1/localhost or a file: URL (default false). */
  offline?: boolean;
  /** Viewport width and height in CSS pixels (default 1400 x 1000). */
  viewport?: { width: number; height: number };
}

/** A started browser and its one context; `close()` ends both. */
export interface LaunchedChromium {
  browser: Browser;
  context: BrowserContext;
  /** Requests that `offline` blocked, as URLs (a test asserts this stays empty). */
  blocked: string[];
  close(): Promise<void>;
}

const LOCAL = /^(file:|data:|blob:|about:|https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/)/;

/**
 * Starts headless chromium (see {@link chromiumPath}) with the project's flags and one fresh
 * context. With `offline`, any request to another host is aborted and recorded in `blocked`.
 * @example const b = await launchChromium({ offline: true }); const page = await b.context.newPage(); ... await b.close();
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<LaunchedChromium> {
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 1000 } });
  const blocked: string[] = [];
  if (options.offline) {
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (LOCAL.test(url)) return route.continue();
      blocked.push(url);
      return route.abort('internetdisconnected');
    });
  }
  return {
    browser,
    context,
    blocked,
    close: async () => {
      await context.close().catch(() => undefined);
      await browser.close();
    },
  };
}
