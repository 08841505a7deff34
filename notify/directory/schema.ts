/**
 * The agency directory: who receives alerts for each agency id of the registry, and how.
 * Imported from YAML/JSON (validated here, errors name file, line and field) and kept in the `directory` index.
 */
import { z } from 'zod';

export const AlertMode = z.enum(['immediate', 'hourly', 'daily']);
export type AlertMode = z.infer<typeof AlertMode>;
export const Channel = z.enum(['email', 'webhook']);
export type Channel = z.infer<typeof Channel>;

const Email = z.email({ message: 'not a valid e-mail address' });

export const Spokesperson = z
  .object({
    name: z.string().min(1),
    title: z.string().min(1),
    email: Email,
    phone: z.string().regex(/^\+?[0-9 .-]{8,16}$/, 'a phone number like 0296 3852 111').optional(),
  })
  .strict();
export type Spokesperson = z.infer<typeof Spokesperson>;

export const Recipient = z.object({ name: z.string().min(1).optional(), email: Email }).strict();
export type Recipient = z.infer<typeof Recipient>;

export const WebhookChannel = z
  .object({
    url: z.url({ protocol: /^https?$/, message: 'an http(s) URL' }),
    /** HMAC-SHA256 key; at least 16 characters so signatures are not guessable. */
    secret: z.string().min(16, 'at least 16 characters'),
  })
  .strict();
export type WebhookChannel = z.infer<typeof WebhookChannel>;

export const DirectoryEntry = z
  .object({
    /** Agency id of the registry, e.g. 2025-91-so-y-te (see pipeline/agencies/ID-SCHEME.md). */
    id: z.string().regex(/^(pre2025|2025)-[a-z0-9]+(-[a-z0-9]+)*$/, 'an agency id like 2025-91-so-y-te'),
    name: z.string().min(1),
    /** Province code (2 digits) the agency belongs to. */
    province: z.string().regex(/^\d{2}$/, 'a 2-digit province code').optional(),
    spokespersons: z.array(Spokesperson).default([]),
    recipients: z.array(Recipient).default([]),
    channels: z
      .object({
        email: z.boolean().default(true),
        webhook: WebhookChannel.optional(),
      })
      .strict()
      .prefault({}),
    /** Mode of the default subscription for items that are neither hot, sensitive nor flagged. */
    defaultMode: AlertMode.default('daily'),
  })
  .strict();
export type DirectoryEntry = z.infer<typeof DirectoryEntry>;

export const DirectoryFile = z
  .object({ agencies: z.array(DirectoryEntry).min(1) })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.agencies.forEach((a, i) => {
      if (seen.has(a.id)) ctx.addIssue({ code: 'custom', path: ['agencies', i, 'id'], message: `duplicate agency id ${a.id}` });
      seen.add(a.id);
    });
  });
export type DirectoryFile = z.infer<typeof DirectoryFile>;

/** Every address an e-mail alert for this agency goes to (spokespersons first), without duplicates. */
export function emailRecipients(entry: DirectoryEntry): string[] {
  return [...new Set([...entry.spokespersons.map((s) => s.email), ...entry.recipients.map((r) => r.email)].map((e) => e.toLowerCase()))];
}

/** Channels this agency can actually be reached on. */
export function availableChannels(entry: DirectoryEntry): Channel[] {
  const out: Channel[] = [];
  if (entry.channels.email && emailRecipients(entry).length > 0) out.push('email');
  if (entry.channels.webhook) out.push('webhook');
  return out;
}
