/** Debian's Chromium (apt-get install chromium; never a browser download) as every part of the system launches it. */
import { chromium, type Browser, type LaunchOptions } from 'playwright';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for Debian's Chromium on machines without internet (no background calls home). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Playwright's own signal handlers would close the browsers and exit the process with 130 on Ctrl-C,
 * cutting a long-running monitor off in the middle of a batch; the process stops its browsers itself
 * when it shuts down (lib/shutdown.ts).
 */
export const CHROMIUM_LAUNCH: LaunchOptions = {
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_ARGS,
  headless: true,
  handleSIGINT: false,
  handleSIGTERM: false,
  handleSIGHUP: false,
};

export const launchChromium = (): Promise<Browser> => chromium.launch(CHROMIUM_LAUNCH);
