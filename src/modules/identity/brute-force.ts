import { problem } from '../../platform/http/problem.js';
import { Problem } from '../../platform/http/problem.js';
import type { Identity } from './runtime.js';

const WINDOW_MS = 15 * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function tooMany(resetInMs: number, detail: string): Problem {
  const seconds = Math.max(1, Math.ceil(resetInMs / 1000));
  return new Problem(429, 'rate-limited', detail, { retryAfterSeconds: seconds }, undefined, { 'retry-after': String(seconds) });
}

/** Counts one attempt from this IP at an auth endpoint (login, reset, verify, MFA); throws 429 past the limit. */
export async function limitByIp(identity: Identity, endpoint: string, ip: string): Promise<void> {
  const { count, resetInMs } = await identity.limiter.hit(`ip:${endpoint}:${ip}`, WINDOW_MS);
  if (count > identity.config.authRateLimitPerIp) throw tooMany(resetInMs, 'Too many attempts from this address; try again later');
}

/**
 * Per-account defence, keyed by the normalised e-mail whether or not an account exists,
 * so a locked answer tells nothing about existence. After three failures each attempt
 * waits longer (0.25 s doubling, at most 4 s); at the threshold the account locks for the
 * rest of the 15-minute window.
 */
export async function beforeAccountAttempt(identity: Identity, scope: string, account: string): Promise<void> {
  const { count, resetInMs } = await identity.limiter.peek(`acct:${scope}:${account}`);
  if (count >= identity.config.authLockoutThreshold) throw tooMany(resetInMs, 'Too many failed attempts; this sign-in is locked for a while. Try again later or reset your password');
  if (count >= 3) await sleep(Math.min(4000, 250 * 2 ** (count - 3)));
}

export async function accountFailed(identity: Identity, scope: string, account: string): Promise<void> {
  await identity.limiter.hit(`acct:${scope}:${account}`, WINDOW_MS);
}

export async function accountSucceeded(identity: Identity, scope: string, account: string): Promise<void> {
  await identity.limiter.reset(`acct:${scope}:${account}`);
}

export const invalidCredentials = () => problem(401, 'invalid-credentials', 'The e-mail address or password is incorrect');
