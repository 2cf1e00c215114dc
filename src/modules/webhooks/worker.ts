import { backoffWithJitter } from '../../platform/backoff.js';
import { BackgroundPass } from '../../platform/background-pass.js';
import { claimDueDeliveries, recordAttempt, releaseLease, type AttemptResult, type ClaimedDelivery, type RetryPolicy } from './deliveries.js';
import type { WebhookDeps } from './deps.js';
import { signingSecrets } from './endpoints.js';
import { signedHeaders } from './signing.js';

const BATCH = 16;
const SNIPPET_BYTES = 1024;
/** Longest retry delay, however many attempts are allowed. */
const MAX_BACKOFF_MS = 6 * 3600 * 1000;

async function readSnippet(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < SNIPPET_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
}

const describeError = (error: unknown, timedOut: boolean, timeoutMs: number): string => {
  if (timedOut) return `timed out after ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.code ? `${message}: ${cause.code}` : cause?.message ? `${message}: ${cause.message}` : message;
};

/**
 * Sends due deliveries outside any transaction: claim (short transaction, lease), POST with a
 * timeout, record the attempt (short transaction). Runs on a timer in every background process
 * and is nudged when the fan-out consumer queued something.
 */
export class DeliveryWorker {
  private readonly passes: BackgroundPass;
  private readonly shutdown = new AbortController();
  private readonly policy: RetryPolicy;

  constructor(private readonly deps: WebhookDeps) {
    const c = deps.config;
    this.policy = { maxAttempts: c.webhookMaxAttempts, breakerThreshold: c.webhookBreakerThreshold, backoffMs: (n) => backoffWithJitter(c.webhookBackoffMs, n, MAX_BACKOFF_MS) };
    this.passes = new BackgroundPass(c.webhookPollMs, () => this.drain(), (error) => deps.logger.warn({ err: error }, 'webhook delivery pass failed'));
  }

  start(): void {
    this.passes.start();
  }

  /** Runs a pass now (or right after the current one). */
  nudge(): void {
    this.passes.nudge();
  }

  private async drain(): Promise<void> {
    const leaseMs = this.deps.config.webhookTimeoutMs + 30_000;
    for (;;) {
      const batch = await claimDueDeliveries(this.deps.database.db, BATCH, leaseMs);
      if (batch.length === 0 || this.passes.isStopped) return;
      await Promise.all(batch.map((d) => this.attempt(d)));
      if (batch.length < BATCH) return;
    }
  }

  private async attempt(d: ClaimedDelivery): Promise<void> {
    const timeoutMs = this.deps.config.webhookTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const startedAt = new Date();
    const began = performance.now();
    let result: AttemptResult;
    try {
      const headers = signedHeaders(signingSecrets(this.deps, d.endpoint), d.eventId, Math.floor(Date.now() / 1000), d.body);
      const response = await fetch(d.endpoint.url, {
        method: 'POST', body: d.body, redirect: 'manual', signal: AbortSignal.any([timeout, this.shutdown.signal]),
        headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'CloudMart-Webhooks/1' },
      });
      const snippet = await readSnippet(response);
      const ok = response.status >= 200 && response.status < 300;
      result = {
        startedAt, durationMs: Math.round(performance.now() - began), statusCode: response.status, responseSnippet: snippet,
        error: ok ? null : response.status >= 300 && response.status < 400 ? `answered ${response.status} (redirects are not followed)` : `answered ${response.status}`,
      };
    } catch (error) {
      if (this.shutdown.signal.aborted) {
        await releaseLease(this.deps.database.db, d.id).catch(() => {});
        return;
      }
      result = { startedAt, durationMs: Math.round(performance.now() - began), statusCode: null, responseSnippet: null, error: describeError(error, timeout.aborted, timeoutMs) };
    }
    const outcome = await recordAttempt(this.deps.database.db, d, result, this.policy);
    if (outcome.paused) this.deps.logger.warn({ endpointId: d.endpoint.id, breakerThreshold: this.policy.breakerThreshold }, 'webhook endpoint paused after consecutive failures');
  }

  async stop(): Promise<void> {
    const stopping = this.passes.stop();
    this.shutdown.abort();
    await stopping;
  }
}
