/** The two transports, behind small interfaces so the delivery core is tested with real servers or fakes. */
import nodemailer from 'nodemailer';
import { sign } from './hmac.ts';

export interface OutgoingMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** Derived from the alert id: a resend after a crash carries the same id, so it can be recognised. */
  messageId: string;
  headers: Record<string, string>;
  /** Files, and images the HTML shows inline by `cid:` (mail clients block remote images and most inline SVG). */
  attachments?: MailAttachment[];
}

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
  /** Set for an inline image: the HTML refers to it as `cid:<cid>`. */
  cid?: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function smtpMailer(smtpUrl: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(mail) {
      await transport.sendMail({ ...mail, to: mail.to.join(', ') });
    },
    close: () => transport.close(),
  };
}

export interface WebhookRequest {
  url: string;
  secret: string;
  body: string;
  key: string;
  timestamp: string;
  signatureHeader: string;
  timeoutMs: number;
}

export type WebhookPoster = (req: WebhookRequest) => Promise<void>;

/** POST with fetch; anything but 2xx is a failure worth retrying. */
export const fetchPoster: WebhookPoster = async (req) => {
  const res = await fetch(req.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      [req.signatureHeader]: sign(req.secret, req.timestamp, req.body),
      'x-monitor-timestamp': req.timestamp,
      'idempotency-key': req.key,
      'user-agent': 'press-monitor-notify/1',
    },
    body: req.body,
    signal: AbortSignal.timeout(req.timeoutMs),
  });
  // Drain so the connection is reused.
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status} from ${req.url}`);
};

/** Try `fn` up to `attempts` times, waiting base·2^n (capped) between tries. */
export async function withRetries(
  fn: () => Promise<void>,
  opts: { attempts: number; baseMs: number; sleep: (ms: number) => Promise<void>; onRetry?: (attempt: number, err: Error) => void },
): Promise<{ ok: true; attempts: number } | { ok: false; attempts: number; error: string }> {
  let last = '';
  for (let attempt = 1; attempt <= opts.attempts; attempt++) {
    try {
      await fn();
      return { ok: true, attempts: attempt };
    } catch (err) {
      last = (err as Error).message;
      if (attempt < opts.attempts) {
        opts.onRetry?.(attempt, err as Error);
        await opts.sleep(Math.min(5 * 60_000, opts.baseMs * 2 ** (attempt - 1)));
      }
    }
  }
  return { ok: false, attempts: opts.attempts, error: last };
}
