/**
 * One typed configuration, read from the environment and validated at start. A bad value
 * stops the start with a message naming the variable and what it allows. The table in
 * README.md is this list; keep them together.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface MediaS3Config {
  bucket: string;
  region: string;
  /** null: the provider's default endpoint (AWS); set for MinIO, R2, Ceph and the like. */
  endpoint: string | null;
  accessKeyId: string | null;
  secretAccessKey: string | null;
  forcePathStyle: boolean;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  databasePoolSize: number;
  natsUrl: string | null;
  /** JetStream stream name (subjects derive from it). */
  natsStream: string;
  /** How long NATS waits for a consumer's ack before redelivering (a consumer that died mid-event). */
  natsAckWaitMs: number;
  redisUrl: string | null;
  logLevel: LogLevel;
  corsOrigins: string[];
  /**
   * Which proxies' X-Forwarded-For/-Proto to believe (Fastify's trustProxy): false, true (any),
   * a hop count, or comma-separated addresses/CIDRs. Per-IP rate limits and HSTS depend on it.
   */
  trustProxy: boolean | number | string;
  bodyLimitBytes: number;
  /** Seeds demo data on the first start of an embedded database. */
  seedDemoData: boolean;
  relayPollMs: number;
  /** After publishing events, how long the relay lets more gather before the next batch (consumers then handle bigger runs). */
  relayLingerMs: number;
  consumerMaxAttempts: number;
  consumerBackoffMs: number;
  shutdownTimeoutMs: number;
  /** `serve` also runs the relay and consumers (one-process mode); false when workers run apart. */
  serveWithWorker: boolean;
  /** How often each process reads catalog events from the outbox into its in-memory catalog (ms). */
  catalogSyncMs: number;
  /** Where uploaded images and their variants are stored on local disk. */
  mediaDir: string;
  /** Largest upload accepted, in bytes. */
  mediaMaxBytes: number;
  /** Largest image accepted, in pixels (width × height): decompression bombs are refused before decoding. */
  mediaMaxPixels: number;
  /** Media in an S3-compatible bucket instead of MEDIA_DIR, when MEDIA_S3_BUCKET is set. */
  mediaS3: MediaS3Config | null;
  /** Ed25519 private key (PKCS#8 PEM) that signs access tokens; null: generated once and kept in the database. */
  authSigningKey: string | null;
  /** 32-byte key for field encryption (AES-256-GCM); null: generated once and kept in the database. */
  encryptionKey: string | null;
  /** The first admin, created on start when no admin exists yet. */
  adminEmail: string | null;
  adminPassword: string | null;
  /** smtp:// or smtps:// server; null: mail goes to the dev mailbox (database + log). */
  smtpUrl: string | null;
  mailFrom: string;
  /** The first delay before an e-mail the SMTP server refused is tried again; later ones double. */
  mailRetryMs: number;
  /** Where the shop is reached, for links in e-mails. */
  publicUrl: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** Login, reset and verify attempts allowed per client IP per 15 minutes. */
  authRateLimitPerIp: number;
  /** Failed logins on one account in 15 minutes before it is locked for the rest of the window. */
  authLockoutThreshold: number;
  /** The refresh-token cookie carries Secure (turn off only for plain-http local development). */
  cookieSecure: boolean;
  /** When an authorized payment is captured: when the order is placed, or when it is fulfilled. */
  paymentCapture: 'immediate' | 'on-fulfilment';
  /** How long a checkout holds stock before the sweeper releases it (seconds). */
  reservationTtlSeconds: number;
  /** Tax rate in basis points (2000 = 20 %) and whether catalog prices include it. */
  taxRateBps: number;
  taxInclusive: boolean;
  /** Flat shipping per order in minor units, and the subtotal from which shipping is free (0: never). */
  shippingFlatAmount: number;
  freeShippingOver: number;
  /** Outbound webhooks: attempts per delivery before it is marked failed… */
  webhookMaxAttempts: number;
  /** …time allowed per attempt (connect, answer and body, ms)… */
  webhookTimeoutMs: number;
  /** …first retry delay (ms), doubled per attempt with jitter… */
  webhookBackoffMs: number;
  /** …consecutive failed attempts after which an endpoint is paused until an admin re-enables it… */
  webhookBreakerThreshold: number;
  /** …how often each worker looks for due deliveries (ms)… */
  webhookPollMs: number;
  /** …and whether plain-http endpoint URLs are allowed beyond localhost. */
  webhookAllowHttp: boolean;
  /** Built-in test payment provider: webhooks arrive after a random delay up to this (ms)… */
  testPaymentsWebhookDelayMs: number;
  /** …and this share of them (percent) is delivered twice, so duplicates and reordering are exercised. */
  testPaymentsWebhookDuplicatePercent: number;
  /** Where the test provider posts its webhooks; null: to this process's own /webhooks/payments/test. */
  testPaymentsWebhookUrl: string | null;
  /** HMAC secret of the test provider's webhooks; null: generated once and kept in the database. */
  testPaymentsWebhookSecret: string | null;
  /** Stripe (PaymentIntents): enabled when both the secret key and the webhook signing secret are set. */
  stripeSecretKey: string | null;
  stripeWebhookSecret: string | null;
  /** Stripe's API host; another URL only for a stand-in server in tests. */
  stripeApiUrl: string;
  /** Customers may ask to return goods for this many days after delivery. */
  returnWindowDays: number;
  /** A file the test provider keeps its ledger in, so the processor outlives a crash of this process (crash tests); null: memory only. */
  testPaymentsLedgerFile: string | null;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

interface Reader {
  problems: string[];
  env: Env;
}

function integer(r: Reader, name: string, fallback: number, min: number, max: number): number {
  const raw = r.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || value < min || value > max) {
    r.problems.push(`${name}=${JSON.stringify(raw)} is not allowed: expected a whole number from ${min} to ${max}`);
    return fallback;
  }
  return value;
}

function oneOf<T extends string>(r: Reader, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = r.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    r.problems.push(`${name}=${JSON.stringify(raw)} is not allowed: expected one of ${allowed.join(', ')}`);
    return fallback;
  }
  return raw as T;
}

function url(r: Reader, name: string, protocols: readonly string[]): string | null {
  const raw = r.env[name];
  if (raw === undefined || raw === '') return null;
  try {
    const parsed = new URL(raw);
    if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
    return raw;
  } catch {
    r.problems.push(`${name} is not a valid URL: expected ${protocols.map((p) => `${p}//…`).join(' or ')}`);
    return null;
  }
}

function trustProxy(r: Reader): boolean | number | string {
  const raw = r.env.TRUST_PROXY?.trim() ?? '';
  if (raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw.split(',').every((part) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(part.trim()))) return raw;
  r.problems.push(`TRUST_PROXY=${JSON.stringify(raw)} is not allowed: expected true, false, a hop count, or comma-separated proxy addresses/CIDRs`);
  return false;
}

function flag(r: Reader, name: string, fallback: boolean): boolean {
  const raw = r.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  r.problems.push(`${name}=${JSON.stringify(raw)} is not allowed: expected true or false`);
  return fallback;
}

export function loadConfig(env: Env = process.env): Config {
  const r: Reader = { problems: [], env };
  const config: Config = {
    port: integer(r, 'PORT', 3000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    dataDir: env.DATA_DIR || './data',
    databaseUrl: url(r, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: integer(r, 'DATABASE_POOL_SIZE', 10, 1, 500),
    natsUrl: url(r, 'NATS_URL', ['nats:', 'tls:']),
    natsStream: env.NATS_STREAM || 'CLOUDMART',
    natsAckWaitMs: integer(r, 'NATS_ACK_WAIT_MS', 30_000, 1000, 3_600_000),
    redisUrl: url(r, 'REDIS_URL', ['redis:', 'rediss:']),
    logLevel: oneOf(r, 'LOG_LEVEL', 'info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: trustProxy(r),
    bodyLimitBytes: integer(r, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    seedDemoData: flag(r, 'SEED_DEMO_DATA', true),
    relayPollMs: integer(r, 'RELAY_POLL_MS', 250, 5, 60_000),
    relayLingerMs: integer(r, 'RELAY_LINGER_MS', 50, 0, 1_000),
    consumerMaxAttempts: integer(r, 'CONSUMER_MAX_ATTEMPTS', 5, 1, 100),
    consumerBackoffMs: integer(r, 'CONSUMER_BACKOFF_MS', 100, 0, 60_000),
    shutdownTimeoutMs: integer(r, 'SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    serveWithWorker: flag(r, 'SERVE_WITH_WORKER', true),
    catalogSyncMs: integer(r, 'CATALOG_SYNC_MS', 200, 10, 60_000),
    // An in-memory database (tests, benches) keeps its media in the temp folder, not in the working tree.
    mediaDir: env.MEDIA_DIR || (env.DATA_DIR === 'memory://' ? join(tmpdir(), 'cloudmart-media') : join(env.DATA_DIR || './data', 'media')),
    mediaMaxBytes: integer(r, 'MEDIA_MAX_BYTES', 10_485_760, 1024, 104_857_600),
    mediaMaxPixels: integer(r, 'MEDIA_MAX_PIXELS', 40_000_000, 10_000, 268_402_689),
    mediaS3: env.MEDIA_S3_BUCKET ? {
      bucket: env.MEDIA_S3_BUCKET, region: env.MEDIA_S3_REGION || 'us-east-1', endpoint: url(r, 'MEDIA_S3_ENDPOINT', ['http:', 'https:']),
      accessKeyId: env.MEDIA_S3_ACCESS_KEY_ID || null, secretAccessKey: env.MEDIA_S3_SECRET_ACCESS_KEY || null, forcePathStyle: flag(r, 'MEDIA_S3_FORCE_PATH_STYLE', false),
    } : null,
    authSigningKey: env.AUTH_SIGNING_KEY ? env.AUTH_SIGNING_KEY.replace(/\\n/g, '\n') : null,
    encryptionKey: env.ENCRYPTION_KEY || null,
    adminEmail: env.ADMIN_EMAIL || null,
    adminPassword: env.ADMIN_PASSWORD || null,
    smtpUrl: url(r, 'SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || 'CloudMart <no-reply@cloudmart.local>',
    mailRetryMs: integer(r, 'MAIL_RETRY_MS', 30_000, 0, 3_600_000),
    publicUrl: url(r, 'PUBLIC_URL', ['http:', 'https:']) ?? 'http://localhost:3000',
    accessTokenTtlSeconds: integer(r, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 900),
    refreshTokenTtlDays: integer(r, 'REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    authRateLimitPerIp: integer(r, 'AUTH_RATE_LIMIT_PER_IP', 100, 1, 1_000_000),
    authLockoutThreshold: integer(r, 'AUTH_LOCKOUT_THRESHOLD', 10, 3, 1000),
    cookieSecure: flag(r, 'COOKIE_SECURE', true),
    paymentCapture: oneOf(r, 'PAYMENT_CAPTURE', 'immediate', ['immediate', 'on-fulfilment']),
    reservationTtlSeconds: integer(r, 'RESERVATION_TTL_SECONDS', 900, 1, 86_400),
    taxRateBps: integer(r, 'TAX_RATE_BPS', 0, 0, 10_000),
    taxInclusive: flag(r, 'TAX_INCLUSIVE', false),
    shippingFlatAmount: integer(r, 'SHIPPING_FLAT_AMOUNT', 0, 0, 100_000_000),
    freeShippingOver: integer(r, 'FREE_SHIPPING_OVER', 0, 0, 1_000_000_000),
    webhookMaxAttempts: integer(r, 'WEBHOOK_MAX_ATTEMPTS', 8, 1, 50),
    webhookTimeoutMs: integer(r, 'WEBHOOK_TIMEOUT_MS', 10_000, 50, 60_000),
    webhookBackoffMs: integer(r, 'WEBHOOK_BACKOFF_MS', 30_000, 0, 3_600_000),
    webhookBreakerThreshold: integer(r, 'WEBHOOK_BREAKER_THRESHOLD', 20, 1, 10_000),
    webhookPollMs: integer(r, 'WEBHOOK_POLL_MS', 1000, 10, 60_000),
    webhookAllowHttp: flag(r, 'WEBHOOK_ALLOW_HTTP', false),
    testPaymentsWebhookDelayMs: integer(r, 'TEST_PAYMENTS_WEBHOOK_DELAY_MS', 50, 0, 60_000),
    testPaymentsWebhookDuplicatePercent: integer(r, 'TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT', 20, 0, 100),
    testPaymentsWebhookUrl: url(r, 'TEST_PAYMENTS_WEBHOOK_URL', ['http:', 'https:']),
    testPaymentsWebhookSecret: env.TEST_PAYMENTS_WEBHOOK_SECRET || null,
    stripeSecretKey: env.STRIPE_SECRET_KEY || null,
    stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET || null,
    stripeApiUrl: url(r, 'STRIPE_API_URL', ['http:', 'https:']) ?? 'https://api.stripe.com',
    returnWindowDays: integer(r, 'RETURN_WINDOW_DAYS', 30, 0, 3650),
    testPaymentsLedgerFile: env.TEST_PAYMENTS_LEDGER_FILE || null,
  };
  for (const origin of config.corsOrigins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      r.problems.push(`CORS_ORIGINS has ${JSON.stringify(origin)}: expected origins like https://shop.example.com, comma-separated, or *`);
    }
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(config.natsStream)) r.problems.push(`NATS_STREAM=${JSON.stringify(config.natsStream)} is not allowed: letters, digits, _ and - only`);
  if (config.authSigningKey && !/-----BEGIN PRIVATE KEY-----/.test(config.authSigningKey)) {
    r.problems.push('AUTH_SIGNING_KEY is not allowed: expected an Ed25519 private key as PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)');
  }
  if (config.encryptionKey && !/^([0-9a-fA-F]{64}|[A-Za-z0-9_-]{43}=?|[A-Za-z0-9+/]{43}=)$/.test(config.encryptionKey.trim())) {
    r.problems.push('ENCRYPTION_KEY is not allowed: expected 32 bytes as 64 hex digits or base64');
  }
  if (config.adminEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(config.adminEmail)) r.problems.push(`ADMIN_EMAIL=${JSON.stringify(config.adminEmail)} is not an e-mail address`);
  if (Boolean(config.adminEmail) !== Boolean(config.adminPassword)) r.problems.push('ADMIN_EMAIL and ADMIN_PASSWORD go together: set both or neither');
  if (Boolean(config.stripeSecretKey) !== Boolean(config.stripeWebhookSecret)) r.problems.push('STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET go together: set both or neither');
  if (config.mediaS3 && Boolean(config.mediaS3.accessKeyId) !== Boolean(config.mediaS3.secretAccessKey)) r.problems.push('MEDIA_S3_ACCESS_KEY_ID and MEDIA_S3_SECRET_ACCESS_KEY go together: set both or neither (neither: the default AWS credential chain)');
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}
