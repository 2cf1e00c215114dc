import { expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

test('defaults give the embedded one-process shop on port 3000', () => {
  expect(loadConfig({})).toMatchObject({
    port: 3000, host: '127.0.0.1', dataDir: './data', databaseUrl: null, natsUrl: null, redisUrl: null, logLevel: 'info', serveWithWorker: true,
  });
});

test('every bad value is reported at once, naming the variable and what it allows', () => {
  let error: unknown;
  try {
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SEED_DEMO_DATA: 'perhaps', CORS_ORIGINS: 'shop.example.com' });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const problems = (error as ConfigError).problems.join('\n');
  expect(problems).toContain('PORT="eighty" is not allowed: expected a whole number from 0 to 65535');
  expect(problems).toContain('DATABASE_URL is not a valid URL: expected postgres://… or postgresql://…');
  expect(problems).toContain('LOG_LEVEL="loud" is not allowed: expected one of fatal, error, warn, info, debug, trace, silent');
  expect(problems).toContain('SEED_DEMO_DATA="perhaps" is not allowed: expected true or false');
  expect(problems).toContain('CORS_ORIGINS has "shop.example.com"');
});

test('a database password never appears in a configuration message', () => {
  expect(() => loadConfig({ DATABASE_URL: 'http://user:s3cret@host/db' })).toThrow(/DATABASE_URL/);
  try {
    loadConfig({ DATABASE_URL: 'http://user:s3cret@host/db' });
  } catch (e) {
    expect((e as Error).message).not.toContain('s3cret');
  }
});

test('checkout settings: capture policy, reservation TTL and test-provider webhooks', () => {
  const c = loadConfig({ PAYMENT_CAPTURE: 'on-fulfilment', RESERVATION_TTL_SECONDS: '60', TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT: '100' });
  expect(c).toMatchObject({ paymentCapture: 'on-fulfilment', reservationTtlSeconds: 60, testPaymentsWebhookDuplicatePercent: 100, testPaymentsWebhookUrl: null });
  expect(loadConfig({})).toMatchObject({ paymentCapture: 'immediate', reservationTtlSeconds: 900, taxRateBps: 0 });
  expect(() => loadConfig({ PAYMENT_CAPTURE: 'later', TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT: '101' })).toThrow(/PAYMENT_CAPTURE.*\n.*TEST_PAYMENTS_WEBHOOK_DUPLICATE_PERCENT/);
});

test('identity settings have safe defaults and are validated', () => {
  expect(loadConfig({})).toMatchObject({
    authSigningKey: null, encryptionKey: null, adminEmail: null, smtpUrl: null, accessTokenTtlSeconds: 900, refreshTokenTtlDays: 30,
    authRateLimitPerIp: 100, authLockoutThreshold: 10, cookieSecure: true, publicUrl: 'http://localhost:3000',
  });
  let error: unknown;
  try {
    loadConfig({ AUTH_SIGNING_KEY: 'not a pem', ENCRYPTION_KEY: 'short', ADMIN_EMAIL: 'owner@shop.example', SMTP_URL: 'http://mail', ACCESS_TOKEN_TTL_SECONDS: '3600' });
  } catch (e) {
    error = e;
  }
  const problems = (error as ConfigError).problems.join('\n');
  expect(problems).toContain('AUTH_SIGNING_KEY is not allowed');
  expect(problems).toContain('ENCRYPTION_KEY is not allowed: expected 32 bytes');
  expect(problems).toContain('ADMIN_EMAIL and ADMIN_PASSWORD go together');
  expect(problems).toContain('SMTP_URL is not a valid URL');
  expect(problems).toContain('ACCESS_TOKEN_TTL_SECONDS="3600" is not allowed: expected a whole number from 30 to 900');
  expect(loadConfig({ ENCRYPTION_KEY: 'ab'.repeat(32), SMTP_URL: 'smtps://user:pw@mail.example:465' })).toMatchObject({ encryptionKey: 'ab'.repeat(32), smtpUrl: 'smtps://user:pw@mail.example:465' });
});

test('catalog and media settings: media beside the data, a temp folder for in-memory databases, limits checked', () => {
  expect(loadConfig({})).toMatchObject({ catalogSyncMs: 200, mediaDir: 'data/media', mediaMaxBytes: 10_485_760, mediaMaxPixels: 40_000_000 });
  expect(loadConfig({ DATA_DIR: '/srv/shop' }).mediaDir).toBe('/srv/shop/media');
  expect(loadConfig({ DATA_DIR: 'memory://' }).mediaDir).toMatch(/cloudmart-media$/);
  expect(loadConfig({ MEDIA_DIR: '/mnt/media' }).mediaDir).toBe('/mnt/media');
  expect(() => loadConfig({ MEDIA_MAX_PIXELS: '0' })).toThrow(/MEDIA_MAX_PIXELS="0" is not allowed/);
  expect(() => loadConfig({ CATALOG_SYNC_MS: 'soon' })).toThrow(/CATALOG_SYNC_MS/);
});

test('TRUST_PROXY: off by default; true, a hop count or proxy addresses; anything else is refused', () => {
  expect(loadConfig({}).trustProxy).toBe(false);
  expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
  expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
  expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
  expect(() => loadConfig({ TRUST_PROXY: 'the load balancer' })).toThrow(/TRUST_PROXY="the load balancer" is not allowed/);
});
