/**
 * What CloudMart needs from a card processor. Implementations call the processor; they never
 * see or return a card number, only the processor's token and what a receipt may show.
 */
export type ProviderStatus = 'requires_action' | 'authorized' | 'captured' | 'voided' | 'declined';

export interface AuthorizeInput {
  /** Our payment id: the idempotency key of the authorization at the processor. */
  paymentId: string;
  amount: number;
  currency: string;
  /** The processor's card token (made by the storefront directly with the processor). */
  token: string;
}

/** Where the storefront sends the shopper for a step only they can take (3-D Secure); the processor's URL. */
export interface NextAction {
  type: 'three_d_secure';
  url: string;
}

export interface AuthorizeResult {
  ref: string;
  status: ProviderStatus;
  /** Why a card was declined: card_declined, insufficient_funds, … */
  failureCode?: string;
  card: { brand: string; last4: string };
  /** For requires_action: where the storefront sends the shopper (3-D Secure). */
  nextAction?: NextAction;
}

export interface ProviderPayment {
  ref: string;
  status: ProviderStatus;
  amount: number;
  captured: number;
  refunded: number;
}

/** A webhook the processor sent, after its signature checked out. */
export interface ProviderWebhook {
  id: string;
  type: string;
  ref: string;
}

export interface PaymentProvider {
  readonly name: string;
  authorize(input: AuthorizeInput): Promise<AuthorizeResult>;
  retrieve(ref: string): Promise<ProviderPayment>;
  /**
   * The processor's payment made for our payment id (the authorization's idempotency key), or
   * null when no authorization reached it: how a checkout whose authorization answer was lost
   * (the process died between the processor's reply and our record of it) learns whether money
   * is held for it.
   */
  findByPaymentId(paymentId: string): Promise<ProviderPayment | null>;
  /**
   * How long after our payment was opened a missing answer means it was lost: longer than an
   * authorization call may take at this processor, and than findByPaymentId may lag its writes.
   * Until then a checkout without the answer may still be under way, and its hold is kept.
   */
  readonly orphanedAfterMs: number;
  /** Idempotent per payment: a repeated capture returns the first one's result, it never moves money twice. */
  capture(ref: string, amount: number): Promise<ProviderPayment>;
  void(ref: string): Promise<ProviderPayment>;
  refund(ref: string, amount: number, key: string): Promise<ProviderPayment>;
  /** Checks the signature (and its age) and reads the event; throws WebhookSignatureError otherwise. */
  parseWebhook(headers: Record<string, string | string[] | undefined>, rawBody: string): ProviderWebhook;
}

export class WebhookSignatureError extends Error {
  constructor(readonly reason: 'missing' | 'malformed' | 'mismatch' | 'stale') {
    super(`webhook signature ${reason}`);
    this.name = 'WebhookSignatureError';
  }
}

export class ProviderError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ProviderError';
  }
}
