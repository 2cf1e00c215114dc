import { loadConfig } from '../../src/config.js';
import { createApp } from '../../src/app.js';

// The full app with every module, on the embedded database in memory unless DATABASE_URL is set.
const config = loadConfig({ DATA_DIR: 'memory://', ...process.env, PORT: '0', LOG_LEVEL: 'silent', SEED_DEMO_DATA: 'false' });
// BENCH_ROLE=api: the HTTP API without the relay and consumers (bench/checkout.ts).
const app = await createApp(config, { role: process.env.BENCH_ROLE === 'api' ? 'api' : 'all' });
await app.startBackground();
const url = await app.listen();
console.log(`listening ${url}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
