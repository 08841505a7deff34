import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../../lib/log.ts';
import { healthHttpStatus, type RunHealth } from './health.ts';
import type { MonitorMetrics } from './metrics.ts';

export interface ObserveServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The monitor's own small HTTP port for machines: `/metrics` (Prometheus text format) and `/healthz` (JSON).
 * Separate from the web app so scraping works when the UI is not served by this process.
 */
export async function startObserveServer(opts: { metrics: MonitorMetrics; health: RunHealth; port: number; host: string; log: Logger }): Promise<ObserveServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET') {
      res.writeHead(405, { allow: 'GET' }).end();
      return;
    }
    if (path === '/metrics') {
      opts.metrics.registry
        .metrics()
        .then((text) => res.writeHead(200, { 'content-type': opts.metrics.registry.contentType }).end(text))
        .catch((err: Error) => {
          opts.log.error({ error: err.message }, 'metrics collection failed');
          res.writeHead(500).end();
        });
      return;
    }
    if (path === '/healthz') {
      const report = opts.health.report();
      res.writeHead(healthHttpStatus(report), { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(report));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /metrics or /healthz\n');
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port, opts.host, () => ok());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
