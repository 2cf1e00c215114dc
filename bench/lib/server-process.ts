import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface ServerProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Runs a server in its own process so the load generator does not share its event loop;
 * the server prints `listening <url>` when ready.
 */
export async function startServerProcess(script: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  // BENCH_PROFILE_DIR: the server writes a V8 CPU profile there when it stops (where did the time go).
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  // BENCH_STATEMENTS_DIR: the server counts its PostgreSQL statements and writes them there when it stops.
  const statements = process.env.BENCH_STATEMENTS_DIR ? ['--import', resolve(import.meta.dirname, 'count-statements.mjs')] : [];
  // The young generation `npm start` and the image give the server (package.json, deploy/Dockerfile).
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=64', ...profile, ...statements, '--import', 'tsx', resolve(import.meta.dirname, '..', script)], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((done, fail) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = output.match(/listening (http:\/\/\S+)/);
      if (match?.[1]) done(match[1]);
    });
    child.on('exit', (code) => fail(new Error(`${script} exited with ${code} before listening`)));
  });
  return {
    url,
    pid: child.pid as number,
    stop: () => new Promise((done) => {
      child.on('exit', () => done());
      child.kill('SIGTERM');
    }),
  };
}
