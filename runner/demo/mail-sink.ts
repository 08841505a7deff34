import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { Logger } from '../../lib/log.ts';

export interface DemoMailSink {
  smtpUrl: string;
  viewerUrl: string;
  received(): number;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The demo's local mail server: accepts every message on loopback, keeps it as an .eml file, and shows the
 * inbox on a small web page (which also receives the sample directory's webhooks), so the alerts and digests
 * the demo sends can be read without any mail setup.
 */
export async function startDemoMailSink(opts: { dir: string; smtpPort: number; viewerPort: number; log: Logger }): Promise<DemoMailSink> {
  mkdirSync(opts.dir, { recursive: true });
  let count = readdirSync(opts.dir).filter((f) => f.endsWith('.eml')).length;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        count++;
        writeFileSync(join(opts.dir, `${Date.now()}-${String(count).padStart(5, '0')}.eml`), Buffer.concat(chunks));
        cb();
      });
      stream.on('error', (err) => cb(err));
    },
  });
  await new Promise<void>((ok, fail) => {
    smtp.server.once('error', fail);
    smtp.listen(opts.smtpPort, '127.0.0.1', () => ok());
  });
  const smtpPort = (smtp.server.address() as AddressInfo).port;

  const hooks: Array<{ at: string; path: string; body: string }> = [];
  const viewer: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    // The sample directory's webhooks point here: received calls are listed under the mails.
    if (req.method === 'POST' && path.startsWith('/hooks/')) {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        hooks.push({ at: new Date().toISOString(), path, body: Buffer.concat(chunks).toString('utf8').slice(0, 20_000) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      return;
    }
    const files = readdirSync(opts.dir)
      .filter((f) => f.endsWith('.eml'))
      .sort()
      .reverse();
    const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="vi"><meta charset="utf-8"><title>Hộp thư thử nghiệm</title><body style="font-family:sans-serif;max-width:70rem;margin:1rem auto">${body}</body></html>`);
    const file = path.slice(1);
    if (path === '/') {
      void Promise.all(files.slice(0, 200).map((f) => simpleParser(readFileSync(join(opts.dir, f))).then((m) => ({ f, m }))))
        .then((mails) =>
          html(
            `<h1>Hộp thư thử nghiệm (${files.length} thư)</h1><p>Mọi thư cảnh báo và điểm báo mà bản chạy thử gửi đi đều dừng ở đây.</p><table border="1" cellpadding="4" style="border-collapse:collapse"><tr><th>Thời gian</th><th>Người nhận</th><th>Tiêu đề</th></tr>${mails
              .map(({ f, m }) => `<tr><td>${escape(m.date?.toISOString() ?? '')}</td><td>${escape(addressText(m.to))}</td><td><a href="/${encodeURIComponent(f)}">${escape(m.subject ?? '(không tiêu đề)')}</a></td></tr>`)
              .join('')}</table><h2>Webhook đã nhận (${hooks.length})</h2><ul>${hooks
              .slice(-100)
              .reverse()
              .map((h) => `<li>${escape(h.at)} ${escape(h.path)}<pre style="white-space:pre-wrap">${escape(h.body.slice(0, 2000))}</pre></li>`)
              .join('')}</ul>`,
          ),
        )
        .catch((err: Error) => res.writeHead(500).end(err.message));
      return;
    }
    if (!files.includes(file)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Không có thư này.\n');
      return;
    }
    void simpleParser(readFileSync(join(opts.dir, file)))
      .then((m) =>
        // The mail's HTML is shown in a sandboxed frame: nothing in it can run script on this page.
        html(
          `<p><a href="/">← Hộp thư</a></p><h1>${escape(m.subject ?? '')}</h1><p>Gửi tới: ${escape(addressText(m.to))}</p><iframe sandbox style="width:100%;height:70vh;border:1px solid #ccc" srcdoc="${escape(typeof m.html === 'string' ? m.html : `<pre>${escape(m.text ?? '')}</pre>`)}"></iframe>`,
        ),
      )
      .catch((err: Error) => res.writeHead(500).end(err.message));
  });
  await new Promise<void>((ok, fail) => {
    viewer.once('error', fail);
    viewer.listen(opts.viewerPort, '127.0.0.1', () => ok());
  });
  const viewerPort = (viewer.address() as AddressInfo).port;
  opts.log.info({ smtpPort, viewerPort, dir: opts.dir }, 'demo mail sink listening');
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}/?ignoreTLS=true`,
    viewerUrl: `http://127.0.0.1:${viewerPort}/`,
    received: () => count,
    close: async () => {
      await new Promise<void>((r) => viewer.close(() => r()));
      await new Promise<void>((r) => smtp.close(() => r()));
    },
  };
}

function addressText(to: AddressObject | AddressObject[] | undefined): string {
  if (!to) return '';
  return (Array.isArray(to) ? to : [to]).map((a) => a.text).join(', ');
}
