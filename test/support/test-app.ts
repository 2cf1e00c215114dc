import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config.js';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { createLogger } from '../../src/platform/observability/logger.js';
import { createServerDatabase } from './server-database.js';

/**
 * A fresh CloudMart for one test: in-memory PGlite by default; with DATABASE_URL a new
 * database on that server (dropped afterwards); with NATS_URL its own JetStream stream.
 */
export interface TestApp extends App {
  /** Base URL once started with `listen: true`. */
  url: string;
}

const suffix = () => randomBytes(6).toString('hex');

export interface StartOptions extends AppOptions {
  env?: Record<string, string>;
  listen?: boolean;
  background?: boolean;
}

export async function startTestApp(options: StartOptions = {}): Promise<TestApp> {
  const serverDb = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL) : null;
  const config: Config = loadConfig({
    DATA_DIR: 'memory://',
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RELAY_POLL_MS: '20',
    CONSUMER_BACKOFF_MS: '5',
    ...(serverDb ? { DATABASE_URL: serverDb.url, DATABASE_POOL_SIZE: '5' } : {}),
    ...(process.env.NATS_URL ? { NATS_URL: process.env.NATS_URL, NATS_STREAM: `TEST_${suffix()}` } : {}),
    ...options.env,
  });
  let app: App;
  try {
    app = await createApp(config, { logger: createLogger(config.logLevel), ephemeralStream: true, ...options });
  } catch (error) {
    await serverDb?.drop();
    throw error;
  }
  if (options.background ?? true) await app.startBackground();
  const url = options.listen ? await app.listen() : '';
  const close = app.close.bind(app);
  return Object.assign(app, {
    url,
    close: async () => {
      await close();
      await serverDb?.drop();
    },
  });
}

/** Polls until check() is truthy or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
