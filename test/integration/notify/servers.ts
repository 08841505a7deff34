/** Real loopback servers for the notify tests: an SMTP server that parses what it receives, a webhook receiver. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { verify } from '../../../notify/delivery/hmac.ts';

export interface MailSink {
  url: string;
  mails: ParsedMail[];
  /** Called with each mail once its data is in, before the server answers 250. */
  onMail: ((m: ParsedMail) => void) | null;
  close(): Promise<void>;
}

export async function startSmtp(): Promise<MailSink> {
  const mails: ParsedMail[] = [];
  const sink: MailSink = { url: '', mails, onMail: null, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream).then(
        (m) => {
          mails.push(m);
          sink.onMail?.(m);
          cb();
        },
        (err: Error) => cb(err),
      );
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  sink.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}/?ignoreTLS=true`;
  sink.close = () => new Promise<void>((r) => server.close(() => r()));
  return sink;
}

export interface HookCall {
  path: string;
  body: string;
  json: unknown;
  signatureOk: boolean;
  key: string | undefined;
  status: number;
}

export interface HookSink {
  origin: string;
  calls: HookCall[];
  /** Fail (HTTP 503) this many times per path before answering 200; Infinity: always fail. */
  failFirst: Map<string, number>;
  close(): Promise<void>;
}

export async function startWebhook(secret: string): Promise<HookSink> {
  const calls: HookCall[] = [];
  const failFirst = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const left = failFirst.get(path) ?? 0;
      const status = left > 0 ? 503 : 200;
      if (left > 0) failFirst.set(path, left - 1);
      calls.push({
        path,
        body,
        json: JSON.parse(body) as unknown,
        signatureOk: verify(secret, String(req.headers['x-monitor-timestamp']), body, req.headers['x-monitor-signature'] as string | undefined),
        key: req.headers['idempotency-key'] as string | undefined,
        status,
      });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'busy');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, calls, failFirst, close: () => new Promise<void>((r) => server.close(() => r())) };
}
