import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { Logger } from '../../platform/observability/logger.js';
import { luhnValid } from '../../platform/security/card-numbers.js';
import { ProviderError, WebhookSignatureError, type AuthorizeInput, type AuthorizeResult, type PaymentProvider, type ProviderPayment, type ProviderWebhook } from './provider.js';
import { signPayload, verifySignature } from './signing.js';

/**
 * The built-in `test` processor, behaving like a card processor's test mode:
 *   4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined (card_declined),
 *   4000 0000 0000 9995 fails (insufficient_funds), 4000 0000 0000 3220 needs 3-D Secure,
 *   4000 0000 0000 0341 authorizes but its capture is refused (capture_declined, as when an
 *   authorization lapses before it is captured), any other Luhn-valid number succeeds.
 * Tokenising is the processor's job (the storefront posts the card to POST /payments/test/tokens,
 * as it would to Stripe.js); the token carries only the behaviour, brand and last four.
 * Webhooks go out after a random delay, a configurable share of them twice, so they arrive
 * late, duplicated and out of order.
 *
 * Its ledger lives in this process's memory, as a processor's sandbox lives on the processor's
 * side: our database never holds it, and our transactions never wait on it. One consequence:
 * with several API processes, 3-D Secure and webhooks must reach the process that authorized.
 */
const refFor = (paymentId: string) => `tp_${paymentId.replace(/-/g, '')}`;

export type Behaviour = 'ok' | 'declined' | 'insufficient' | 'threeds' | 'nocapture';
const SPECIAL: Record<string, Behaviour> = {
  '4242424242424242': 'ok', '4000000000000002': 'declined', '4000000000009995': 'insufficient', '4000000000003220': 'threeds', '4000000000000341': 'nocapture',
};
const TOKEN = /^tok_(ok|declined|insufficient|threeds|nocapture)_([a-z]+)_(\d{4})(?:_[A-Za-z0-9]+)?$/;

export function brandOf(digits: string): string {
  if (digits.startsWith('4')) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^3[47]/.test(digits)) return 'amex';
  return 'card';
}

/** What the processor's tokenisation endpoint answers; the number itself goes no further. */
export function tokenizeCard(card: { number: string; expMonth: number; expYear: number; cvc: string }, now = new Date()): { token: string; brand: string; last4: string } {
  const digits = card.number.replace(/[ -]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) throw new ProviderError('invalid_number', 'The card number is not valid');
  const expiry = new Date(Date.UTC(card.expYear, card.expMonth, 1));
  if (card.expMonth < 1 || card.expMonth > 12 || expiry <= now) throw new ProviderError('expired_card', 'The card has expired');
  if (!/^\d{3,4}$/.test(card.cvc)) throw new ProviderError('invalid_cvc', 'The security code is not valid');
  const brand = brandOf(digits);
  const last4 = digits.slice(-4);
  return { token: `tok_${SPECIAL[digits] ?? 'ok'}_${brand}_${last4}_${randomBytes(6).toString('hex')}`, brand, last4 };
}

export interface TestProviderOptions {
  secret: string;
  delayMs: number;
  duplicatePercent: number;
  logger: Logger;
  /** Where a signed webhook goes (the app wires its own route, or an HTTP URL). */
  deliver?: (body: string, signature: string) => Promise<void>;
  publicUrl: string;
  /**
   * Keep the ledger in this file too (one JSON line per change, read back at start), so the
   * processor's payments outlive a SIGKILL of this process as a real processor's do. The line
   * is written synchronously before the call answers. Off by default; the crash test uses it.
   */
  ledgerFile?: string | null;
}

interface LedgerEntry {
  ref: string;
  status: ProviderPayment['status'];
  amount: number;
  captured: number;
  refunded: number;
  /** How many capture calls moved money: tests assert it never exceeds one. */
  captureCount: number;
  /** Idempotency keys of the refunds made: a refund sent again with its key is not paid twice. */
  refundKeys?: string[];
  /** The card's capture is refused (the 0341 test card). */
  refusesCapture?: boolean;
}

export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';
  /** It answers in this process, and its ledger (and the file it is kept in) is written before the answer. */
  readonly orphanedAfterMs = 10_000;
  private readonly ledger = new Map<string, LedgerEntry>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;
  deliver: ((body: string, signature: string) => Promise<void>) | undefined;

  constructor(private readonly options: TestProviderOptions) {
    this.deliver = options.deliver;
    if (options.ledgerFile && existsSync(options.ledgerFile)) {
      for (const line of readFileSync(options.ledgerFile, 'utf8').split('\n')) {
        try {
          const entry = JSON.parse(line) as LedgerEntry;
          this.ledger.set(entry.ref, entry);
        } catch {
          // an empty line, or the last one cut short by a kill before the call answered
        }
      }
    }
  }

  private save(entry: LedgerEntry): void {
    if (this.options.ledgerFile) appendFileSync(this.options.ledgerFile, `${JSON.stringify(entry)}\n`);
  }

  async authorize(input: AuthorizeInput): Promise<AuthorizeResult> {
    const match = TOKEN.exec(input.token);
    if (!match) throw new ProviderError('invalid_token', 'The payment token is not one the test provider issued');
    const [, behaviour, brand, last4] = match as unknown as [string, Behaviour, string, string];
    // The payment id is the idempotency key: a retried authorization finds the first one.
    const ref = refFor(input.paymentId);
    const status = behaviour === 'ok' || behaviour === 'nocapture' ? 'authorized' : behaviour === 'threeds' ? 'requires_action' : 'declined';
    if (!this.ledger.has(ref)) {
      const entry: LedgerEntry = { ref, status, amount: input.amount, captured: 0, refunded: 0, captureCount: 0, ...(behaviour === 'nocapture' ? { refusesCapture: true } : {}) };
      this.ledger.set(ref, entry);
      this.save(entry);
    }
    const current = await this.retrieve(ref);
    const card = { brand, last4 };
    if (current.status === 'requires_action') return { ref, status: current.status, card, nextAction: { type: 'three_d_secure', url: `${this.options.publicUrl}/payments/test/3ds/${ref}` } };
    if (current.status !== 'declined') this.emit('payment.authorized', ref);
    else this.emit('payment.failed', ref);
    return { ref, status: current.status, card, ...(current.status === 'declined' ? { failureCode: behaviour === 'insufficient' ? 'insufficient_funds' : 'card_declined' } : {}) };
  }

  private entry(ref: string): LedgerEntry {
    const entry = this.ledger.get(ref);
    if (!entry) throw new ProviderError('no_such_payment', `No test payment ${ref}`);
    return entry;
  }

  /** The shopper finishes (or fails) the 3-D Secure step on the processor's page. */
  async completeThreeDSecure(ref: string, succeed: boolean): Promise<ProviderPayment> {
    const entry = this.entry(ref);
    if (entry.status === 'requires_action') {
      entry.status = succeed ? 'authorized' : 'declined';
      this.save(entry);
      this.emit(succeed ? 'payment.authorized' : 'payment.failed', ref);
    }
    return this.retrieve(ref);
  }

  async findByPaymentId(paymentId: string): Promise<ProviderPayment | null> {
    const ref = refFor(paymentId);
    return this.ledger.has(ref) ? this.retrieve(ref) : null;
  }

  async retrieve(ref: string): Promise<ProviderPayment> {
    const { status, amount, captured, refunded } = this.entry(ref);
    return { ref, status, amount, captured, refunded };
  }

  async capture(ref: string, amount: number): Promise<ProviderPayment> {
    const entry = this.entry(ref);
    if (entry.status === 'authorized' && entry.refusesCapture) throw new ProviderError('capture_declined', `The authorization of ${ref} can no longer be captured`);
    if (entry.status === 'authorized' && amount <= entry.amount) {
      entry.status = 'captured';
      entry.captured = amount;
      entry.captureCount++;
      this.save(entry);
      this.emit('payment.captured', ref);
    } else if (entry.status !== 'captured') throw new ProviderError('not_capturable', `Payment ${ref} is ${entry.status}`);
    return this.retrieve(ref);
  }

  async void(ref: string): Promise<ProviderPayment> {
    const entry = this.entry(ref);
    if (entry.status === 'captured') throw new ProviderError('already_captured', `Payment ${ref} is captured: refund it instead`);
    if (entry.status === 'authorized' || entry.status === 'requires_action') {
      entry.status = 'voided';
      this.save(entry);
    }
    return this.retrieve(ref);
  }

  async refund(ref: string, amount: number, key: string): Promise<ProviderPayment> {
    const entry = this.entry(ref);
    if (entry.refundKeys?.includes(key)) return this.retrieve(ref);
    if (entry.status !== 'captured' || entry.refunded + amount > entry.captured) throw new ProviderError('refund_exceeds_capture', `Cannot refund ${amount} on ${ref}`);
    entry.refunded += amount;
    entry.refundKeys = [...(entry.refundKeys ?? []), key];
    this.save(entry);
    this.emit('payment.refunded', ref);
    return this.retrieve(ref);
  }

  parseWebhook(headers: Record<string, string | string[] | undefined>, rawBody: string): ProviderWebhook {
    const header = headers['cloudmart-signature'];
    verifySignature(this.options.secret, rawBody, Array.isArray(header) ? header[0] : header);
    let body: { id?: unknown; type?: unknown; data?: { ref?: unknown } };
    try {
      body = JSON.parse(rawBody) as typeof body;
    } catch {
      throw new WebhookSignatureError('malformed');
    }
    if (typeof body.id !== 'string' || typeof body.type !== 'string' || typeof body.data?.ref !== 'string') throw new WebhookSignatureError('malformed');
    return { id: body.id, type: body.type, ref: body.data.ref };
  }

  /** Sends the event later, maybe twice: each copy has its own delay, so copies and events overtake each other. */
  private emit(type: string, ref: string): void {
    if (this.closed || !this.deliver) return;
    const body = JSON.stringify({ id: `evt_${randomBytes(8).toString('hex')}`, type, data: { ref } });
    const copies = Math.random() * 100 < this.options.duplicatePercent ? 2 : 1;
    for (let i = 0; i < copies; i++) this.send(body, type, ref, 1, Math.floor(Math.random() * (this.options.delayMs + 1)));
  }

  /** Like a real processor, a webhook that is not answered 2xx is sent again later (a few times). */
  private send(body: string, type: string, ref: string, attempt: number, delay: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.closed || !this.deliver) return;
      this.deliver(body, signPayload(this.options.secret, body)).catch((error: unknown) => {
        if (attempt < 5 && !this.closed) this.send(body, type, ref, attempt + 1, 50 * 2 ** attempt);
        else this.options.logger.warn({ err: error, type, ref }, 'test provider webhook not delivered');
      });
    }, delay);
    this.timers.add(timer);
  }

  /** Webhooks not yet sent (tests wait for zero). */
  pending(): number {
    return this.timers.size;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Test-provider facts, for tests and the crash check: how many times money moved for this payment. */
  captureCount(ref: string): number {
    return this.ledger.get(ref)?.captureCount ?? 0;
  }

  /** Every payment the processor captured (the crash and race checks compare them with our orders). */
  captured(): string[] {
    return [...this.ledger.values()].filter((e) => e.captureCount > 0).map((e) => e.ref);
  }
}
