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
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
