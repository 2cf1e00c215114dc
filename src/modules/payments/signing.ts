import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookSignatureError } from './provider.js';

/**
 * Webhook signatures in the scheme Stripe documents (https://docs.stripe.com/webhooks#verify-manually):
 * header `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, compared in constant
 * time, refused when older than the tolerance (replays of a captured request).
 */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signPayload(secret: string, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

export function verifySignature(secret: string, body: string, header: string | undefined, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, nowMs = Date.now()): void {
  if (!header) throw new WebhookSignatureError('missing');
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) throw new WebhookSignatureError('malformed');
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const ok = signatures.some((s) => /^[0-9a-f]{64}$/.test(s) && timingSafeEqual(Buffer.from(s, 'hex'), expected));
  if (!ok) throw new WebhookSignatureError('mismatch');
  if (Math.abs(nowMs / 1000 - Number(t)) > toleranceSeconds) throw new WebhookSignatureError('stale');
}
