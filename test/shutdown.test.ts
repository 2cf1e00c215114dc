import { expect, test } from 'vitest';
import type { ModuleDefinition } from '../src/platform/module.js';
import { startTestApp } from './support/test-app.js';

let markStarted: () => void = () => {};
const started = new Promise<void>((resolve) => (markStarted = resolve));

const slow: ModuleDefinition = {
  name: 'slow',
  routes(http) {
    http.get('/test/slow', { config: { permission: 'public' } }, async () => {
      markStarted();
      await new Promise((r) => setTimeout(r, 400));
      return { finished: true };
    });
  },
};

test('closing the app lets in-flight requests finish, then refuses new connections', async () => {
  const app = await startTestApp({ modules: [slow], listen: true });
  const inFlight = fetch(`${app.url}/test/slow`);
  await started;
  const closing = app.close();
  const response = await inFlight;
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ finished: true });
  await closing;
  await expect(fetch(`${app.url}/health`)).rejects.toThrow();
});
