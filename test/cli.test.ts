import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';

/** The `cloudmart` command as a newcomer runs it: the embedded default, no servers. */
const root = resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];

function run(args: string[], env: Record<string, string> = {}) {
  const { DATABASE_URL: _db, NATS_URL: _nats, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: root, env: { ...inherited, LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  const exited = new Promise<number>((done) => child.on('exit', (code) => done(code ?? -1)));
  return {
    child,
    exited,
    output: () => output,
    async waitFor(pattern: RegExp, ms = 30_000): Promise<RegExpMatchArray> {
      const deadline = Date.now() + ms;
      for (;;) {
        const match = output.match(pattern);
        if (match) return match;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`never printed ${pattern}; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

afterEach(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  children.length = 0;
});

const tempDataDir = () => join(mkdtempSync(join(tmpdir(), 'cm-cli-')), 'data');

describe('cloudmart CLI', () => {
  test('serve starts on the embedded database, refuses a second process on the same data, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const server = run(['serve'], { DATA_DIR: dataDir, PORT: '0' });
    // The first start seeds the whole demo (catalog, images, two years of orders): ~20 s alone, more beside other suites.
    const [, url] = await server.waitFor(/CloudMart is running at (http:\/\/\S+)/, 120_000);
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const ready = await fetch(`${url}/ready`);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'pglite', bus: 'in-process' });

    const second = run(['serve'], { DATA_DIR: dataDir, PORT: '0' });
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('already in use by another CloudMart process');

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('shut down cleanly');
  }, 180_000);

  test('a bad setting stops the start with exit 2 and names the variable', async () => {
    const bad = run(['serve'], { PORT: 'eighty' });
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('PORT="eighty" is not allowed');
  });

  test('migrate, seed and events:dead work on a fresh data directory; bad usage is exit 2', async () => {
    const dataDir = tempDataDir();
    const migrate = run(['migrate'], { DATA_DIR: dataDir });
    expect(await migrate.exited).toBe(0);
    expect(migrate.output()).toContain('migrations applied (pglite)');

    const seed = run(['seed', '--seed', '7'], { DATA_DIR: dataDir });
    expect(await seed.exited).toBe(0);

    const badSeed = run(['seed', '--bogus', '1'], { DATA_DIR: dataDir });
    expect(await badSeed.exited).toBe(2);
    expect(badSeed.output()).toContain('Unknown size --bogus');

    const dead = run(['events:dead'], { DATA_DIR: dataDir });
    expect(await dead.exited).toBe(0);
    expect(dead.output()).toContain('no dead letters');

    const replay = run(['events:replay'], { DATA_DIR: dataDir });
    expect(await replay.exited).toBe(2);
    expect(replay.output()).toContain('events:replay needs dead-letter ids or --all');

    const unknown = run(['frobnicate']);
    expect(await unknown.exited).toBe(2);
    expect(unknown.output()).toContain('Unknown command "frobnicate"');
  }, 180_000);
});
