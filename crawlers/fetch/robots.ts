import robotsParserModule from 'robots-parser';
import { httpFetch, USER_AGENT, type FetchOptions } from './http-fetch.ts';

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
}
// The package's typings declare an untyped module under NodeNext resolution.
const robotsParser = robotsParserModule as unknown as (url: string, robotsTxt: string) => Robots;

/** robots.txt per origin, fetched once per crawl. A missing or unreadable file allows everything (RFC 9309). */
export class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<Robots | null>>();

  constructor(private readonly fetchOptions: FetchOptions = {}) {}

  private robotsFor(url: string): Promise<Robots | null> {
    const origin = new URL(url).origin;
    let pending = this.byOrigin.get(origin);
    if (!pending) {
      const robotsUrl = `${origin}/robots.txt`;
      pending = httpFetch(robotsUrl, { ...this.fetchOptions, maxBytes: 512 * 1024 })
        .then((res) => (res.status >= 200 && res.status < 300 ? robotsParser(robotsUrl, Buffer.from(res.bytes).toString('utf8')) : null))
        .catch(() => null);
      this.byOrigin.set(origin, pending);
    }
    return pending;
  }

  async isAllowed(url: string): Promise<boolean> {
    const robots = await this.robotsFor(url);
    return robots?.isAllowed(url, USER_AGENT) ?? true;
  }

  /** Crawl-delay asked by the site, in milliseconds, if any. */
  async crawlDelayMs(url: string): Promise<number | null> {
    const robots = await this.robotsFor(url);
    const delay = robots?.getCrawlDelay(USER_AGENT);
    return typeof delay === 'number' ? delay * 1000 : null;
  }
}
