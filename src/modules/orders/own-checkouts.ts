import type { CompletionResult } from './complete.js';

/**
 * What this process knows of the checkouts its own requests ran, so that the processor's
 * webhooks for them need not ask the database: a checkout still running (its answer is awaited,
 * not raced), and the orders placed lately (a payment's order never changes). Only a shortcut: a
 * webhook that finds nothing here, as one that reaches another process does, asks the database,
 * and the cart's row serializes completions as before.
 */
export class OwnCheckouts {
  private readonly running = new Map<string, Promise<CompletionResult>>();
  private readonly placed = new Map<string, string>();

  /** @param keep how many placed orders to remember, the oldest forgotten first */
  constructor(private readonly keep = 10_000) {}

  /** Runs the rest of a checkout whose payment the processor knows as `ref`: known here while it runs, and after, once it has placed its order. */
  async track(provider: string, ref: string, rest: () => Promise<CompletionResult>): Promise<CompletionResult> {
    const key = keyOf(provider, ref);
    const answer = rest();
    this.running.set(key, answer);
    try {
      const done = await answer;
      if (done.status === 'completed') this.remember(key, done.orderId);
      return done;
    } finally {
      this.running.delete(key);
    }
  }

  /** The order paid by this payment, when one of this process's checkouts placed it lately, or places it now (awaited); null when this process does not know. */
  async orderOf(provider: string, ref: string): Promise<string | null> {
    const key = keyOf(provider, ref);
    const placed = this.placed.get(key);
    if (placed) return placed;
    const answered = await this.running.get(key)?.catch(() => null);
    return answered?.status === 'completed' ? answered.orderId : null;
  }

  private remember(key: string, orderId: string): void {
    this.placed.set(key, orderId);
    if (this.placed.size > this.keep) this.placed.delete(this.placed.keys().next().value as string);
  }
}

const keyOf = (provider: string, ref: string) => `${provider}\n${ref}`;
