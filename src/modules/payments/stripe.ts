import { ProviderError, WebhookSignatureError, type AuthorizeInput, type AuthorizeResult, type PaymentProvider, type ProviderPayment, type ProviderStatus, type ProviderWebhook } from './provider.js';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from './signing.js';

/**
 * Stripe through PaymentIntents (https://docs.stripe.com/api/payment_intents), with plain fetch.
 *
 * Why not the official `stripe` package: we call five endpoints (create+confirm, retrieve,
 * capture, cancel, refunds) with form-encoded bodies and an Idempotency-Key header, and we
 * already verify Stripe's `t=…,v1=…` signature scheme for the test processor (signing.ts);
 * the package would add a large dependency with its own retry/telemetry behaviour and API
 * version pinning for no code we would not write anyway. The price: we pin the API version
 * ourselves (STRIPE_API_VERSION below) and map the few fields we read.
 *
 * Amounts: Stripe's "smallest currency unit" is our minor unit for every currency we price in.
 */
const STRIPE_API_VERSION = '2024-06-20';

export interface StripeOptions {
  secretKey: string;
  webhookSecret: string;
  /** https://api.stripe.com, or a stand-in server in tests. */
  apiUrl: string;
  /** Where Stripe sends the shopper back after a 3-D Secure redirect. */
  returnUrl: string;
  toleranceSeconds?: number;
  fetch?: typeof fetch;
}

interface StripeIntent {
  id: string;
  status: string;
  amount: number;
  amount_received?: number;
  next_action?: { type: string; redirect_to_url?: { url: string } } | null;
  last_payment_error?: { code?: string; decline_code?: string } | null;
  payment_method?: string | { card?: { brand?: string; last4?: string } } | null;
  latest_charge?: string | { amount_refunded?: number; payment_method_details?: { card?: { brand?: string; last4?: string } } } | null;
}

interface StripeErrorBody {
  error?: { type?: string; code?: string; decline_code?: string; message?: string; payment_intent?: StripeIntent };
}

/** PaymentIntent statuses (https://docs.stripe.com/payments/paymentintents/lifecycle) in our terms. */
export function statusOf(intent: StripeIntent): ProviderStatus {
  switch (intent.status) {
    case 'requires_capture': return 'authorized';
    case 'succeeded': return 'captured';
    case 'canceled': return 'voided';
    case 'requires_action':
    case 'processing': return 'requires_action';
    default: return 'declined'; // requires_payment_method (a failed attempt), requires_confirmation
  }
}

/** Stripe's form encoding: nested keys as a[b]=c, arrays as a[]=x. */
export function formEncode(params: Record<string, unknown>, prefix = ''): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const name = prefix ? `${prefix}[${key}]` : key;
    if (Array.isArray(value)) for (const v of value) parts.push(`${encodeURIComponent(`${name}[]`)}=${encodeURIComponent(String(v))}`);
    else if (typeof value === 'object') parts.push(formEncode(value as Record<string, unknown>, name));
    else parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return parts.filter(Boolean).join('&');
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  /** A call is cut off at 30 s, and Stripe's search lags its writes by about a minute. */
  readonly orphanedAfterMs = 120_000;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: StripeOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  private async call(method: 'GET' | 'POST', path: string, params: Record<string, unknown> = {}, idempotencyKey?: string): Promise<{ status: number; body: StripeIntent & StripeErrorBody }> {
    const query = method === 'GET' ? formEncode(params) : '';
    const response = await this.fetch(`${this.options.apiUrl}${path}${query ? `?${query}` : ''}`, {
      method,
      headers: {
        authorization: `Bearer ${this.options.secretKey}`, 'stripe-version': STRIPE_API_VERSION,
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      ...(method === 'POST' ? { body: formEncode(params) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json().catch(() => ({}))) as StripeIntent & StripeErrorBody;
    return { status: response.status, body };
  }

  private fail(status: number, body: StripeErrorBody): never {
    const code = body.error?.code ?? (status >= 500 ? 'stripe_unavailable' : 'stripe_error');
    throw new ProviderError(code, body.error?.message ?? `Stripe answered ${status}`);
  }

  private payment(intent: StripeIntent): ProviderPayment {
    const charge = typeof intent.latest_charge === 'object' ? intent.latest_charge : null;
    return { ref: intent.id, status: statusOf(intent), amount: intent.amount, captured: intent.amount_received ?? 0, refunded: charge?.amount_refunded ?? 0 };
  }

  async authorize(input: AuthorizeInput): Promise<AuthorizeResult> {
    const { status, body } = await this.call('POST', '/v1/payment_intents', {
      amount: input.amount, currency: input.currency.toLowerCase(), payment_method: input.token,
      confirm: true, capture_method: 'manual', return_url: this.options.returnUrl,
      metadata: { payment_id: input.paymentId }, expand: ['payment_method'],
    }, input.paymentId);
    // A declined card is a 402 whose error carries the PaymentIntent: a business outcome, not a fault.
    const intent = status < 300 ? body : body.error?.payment_intent;
    if (!intent) return this.fail(status, body);
    const method = typeof intent.payment_method === 'object' ? intent.payment_method?.card : undefined;
    const card = { brand: method?.brand ?? 'card', last4: method?.last4 ?? '????' };
    const state = status < 300 ? statusOf(intent) : 'declined';
    if (state === 'declined') {
      const error = body.error ?? intent.last_payment_error ?? {};
      return { ref: intent.id, status: 'declined', card, failureCode: error.decline_code ?? error.code ?? 'card_declined' };
    }
    const url = intent.next_action?.redirect_to_url?.url;
    return { ref: intent.id, status: state, card, ...(state === 'requires_action' && url ? { nextAction: { type: 'three_d_secure' as const, url } } : {}) };
  }

  async retrieve(ref: string): Promise<ProviderPayment> {
    const { status, body } = await this.call('GET', `/v1/payment_intents/${encodeURIComponent(ref)}`, { expand: ['latest_charge'] });
    if (status >= 300) return this.fail(status, body);
    return this.payment(body);
  }

  /**
   * Stripe's search by the metadata set at authorization. Search can lag a write by about a
   * minute (https://docs.stripe.com/search#data-freshness): only payments orphaned for longer
   * than that ask it.
   */
  async findByPaymentId(paymentId: string): Promise<ProviderPayment | null> {
    const { status, body } = await this.call('GET', '/v1/payment_intents/search', { query: `metadata['payment_id']:'${paymentId.replace(/'/g, '')}'`, expand: ['data.latest_charge'] });
    if (status >= 300) return this.fail(status, body);
    const intent = (body as { data?: StripeIntent[] }).data?.[0];
    return intent ? this.payment(intent) : null;
  }

  /** Idempotent per payment: the key is the intent, so a retried capture replays Stripe's first answer. */
  async capture(ref: string, amount: number): Promise<ProviderPayment> {
    const { status, body } = await this.call('POST', `/v1/payment_intents/${encodeURIComponent(ref)}/capture`, { amount_to_capture: amount, expand: ['latest_charge'] }, `capture-${ref}`);
    if (status < 300) return this.payment(body);
    // Captured already by another path (a different key): that is the result a repeat must give.
    const now = await this.retrieve(ref);
    if (now.status === 'captured') return now;
    return this.fail(status, body);
  }

  async void(ref: string): Promise<ProviderPayment> {
    const { status, body } = await this.call('POST', `/v1/payment_intents/${encodeURIComponent(ref)}/cancel`, {}, `cancel-${ref}`);
    if (status < 300) return this.payment(body);
    const now = await this.retrieve(ref);
    if (now.status === 'voided') return now;
    if (now.status === 'captured') throw new ProviderError('already_captured', `Payment ${ref} is captured: refund it instead`);
    return this.fail(status, body);
  }

  /** The key is our refund id: a refund retried after a crash is the same refund at Stripe. */
  async refund(ref: string, amount: number, key: string): Promise<ProviderPayment> {
    const { status, body } = await this.call('POST', '/v1/refunds', { payment_intent: ref, amount }, `refund-${key}`);
    if (status >= 300) return this.fail(status, body);
    return this.retrieve(ref);
  }

  /**
   * Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>[,v1=…][,v0=…],
   * any v1 may match (secret rotation), older than the tolerance is refused
   * (https://docs.stripe.com/webhooks#verify-manually).
   */
  parseWebhook(headers: Record<string, string | string[] | undefined>, rawBody: string): ProviderWebhook {
    const header = headers['stripe-signature'];
    verifySignature(this.options.webhookSecret, rawBody, Array.isArray(header) ? header[0] : header, this.options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
    let event: { id?: unknown; type?: unknown; data?: { object?: { id?: unknown; object?: unknown; payment_intent?: unknown } } };
    try {
      event = JSON.parse(rawBody) as typeof event;
    } catch {
      throw new WebhookSignatureError('malformed');
    }
    const object = event.data?.object;
    // payment_intent.* events carry the intent; charge.* and refund events point at it.
    const ref = object?.object === 'payment_intent' ? object.id : object?.payment_intent;
    if (typeof event.id !== 'string' || typeof event.type !== 'string' || typeof ref !== 'string') throw new WebhookSignatureError('malformed');
    return { id: event.id, type: event.type, ref };
  }
}
