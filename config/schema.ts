import { z } from 'zod';

const Port = z.coerce.number().int().min(1).max(65535);
const Duration = z.coerce.number().int().positive();

export const ConfigSchema = z
  .object({
    elasticsearch: z
      .object({
        /** When unset, the project starts (or reuses) its own local single node: the embedded default. */
        url: z.url({ protocol: /^https?$/ }).optional(),
        username: z.string().min(1).optional(),
        password: z.string().min(1).optional(),
        apiKey: z.string().min(1).optional(),
        /** Every index and alias name starts with this, so several deployments or test runs share a cluster. */
        indexPrefix: z
          .string()
          .regex(/^[a-z][a-z0-9-]{0,40}$/, 'lower-case letters, digits and dashes, starting with a letter')
          .default('pm'),
        requestTimeoutMs: Duration.default(30_000),
        maxRetries: z.coerce.number().int().min(0).max(20).default(5),
        /** Shards/replicas for new indices: 1/0 on one node; the production cluster sets replicas ≥ 1. */
        shards: z.coerce.number().int().min(1).max(64).default(1),
        replicas: z.coerce.number().int().min(0).max(5).default(0),
      })
      .prefault({}),
    localNode: z
      .object({
        version: z
          .string()
          .regex(/^8\.19\.\d+$/, 'an 8.19.x version (the client major is pinned to 8)')
          .default('8.19.21'),
        port: Port.default(9250),
        transportPort: Port.default(9350),
        heap: z
          .string()
          .regex(/^\d+[mg]$/, 'a JVM heap size like 512m or 1g')
          .default('1g'),
        /** Where the distribution is unpacked and the node keeps its data and logs. */
        home: z.string().optional(),
        javaHome: z.string().optional(),
        startTimeoutMs: Duration.default(180_000),
      })
      .prefault({}),
    storageDir: z.string().default('storage'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    timezone: z.literal('Asia/Ho_Chi_Minh').default('Asia/Ho_Chi_Minh'),
    /** Alerts and the daily digest (notify/); optional so existing configurations stay valid. */
    notify: z
      .object({
        /** e.g. smtp://user:pass@mail.example.gov.vn:587; unset: e-mail alerts stay pending. */
        smtpUrl: z.string().regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL').optional(),
        from: z.string().min(3).default('Theo dõi báo chí <baochi@example.gov.vn>'),
        /** Agency directory file (YAML/JSON) imported by `monitor alerts run` when given. */
        directoryFile: z.string().optional(),
        webhook: z
          .object({
            timeoutMs: Duration.default(10_000),
            attempts: z.coerce.number().int().min(1).max(20).default(5),
            baseBackoffMs: Duration.default(1_000),
            signatureHeader: z.string().default('X-Monitor-Signature'),
          })
          .prefault({}),
        /** The digest covers the 24 h ending at this local time (Asia/Ho_Chi_Minh). */
        digestTime: z
          .string()
          .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time like 07:00')
          .default('07:00'),
        /** Local hour at which daily-mode alerts go out. */
        dailyHour: z.coerce.number().int().min(0).max(23).default(7),
        /**
         * Digests `monitor run` produces, archives and e-mails once a day (notify/digest/schedule.ts); empty: none.
         * Recipients default to the directory's addresses of the agency, or of the provincial People's Committee.
         */
        digests: z
          .array(
            z
              .object({
                province: z.string().regex(/^\d{2}$/, 'a 2-digit province code like 91'),
                /** One agency only (e.g. 2025-91-so-y-te); unset: the whole province. */
                agencyId: z.string().min(1).optional(),
                /** When set, exactly these addresses instead of the directory's. */
                recipients: z.array(z.email({ message: 'not a valid e-mail address' })).default([]),
                /** Local time the digest is due; default notify.digestTime. */
                time: z
                  .string()
                  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time like 07:00')
                  .optional(),
                /** Files attached to the e-mail (archived too, with the HTML). */
                attach: z.array(z.enum(['pdf', 'docx'])).default(['pdf', 'docx']),
              })
              .strict(),
          )
          .default([]),
      })
      .optional(),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
