import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

/**
 * A stand-in for api.stripe.com speaking the few PaymentIntents endpoints the adapter uses,
 * with Stripe's documented test payment methods (https://docs.stripe.com/testing):
 * pm_card_visa succeeds, pm_card_chargeDeclined is declined, pm_card_chargeDeclinedInsufficientFunds
 * fails for insufficient funds, pm_card_threeDSecure2Required asks for 3-D Secure.
 * It honours Idempotency-Key as Stripe does (same key → the first answer again) and counts
 * the calls that moved money, so tests can assert nothing moved twice.
 */
interface Intent {
  id: string; object: 'payment_intent'; status: string; amount: number; amount_received: number; currency: string;
  capture_method: string; metadata: Record<string, string>; payment_method: string;
  next_action: unknown; last_payment_error: unknown; refunded: number;
}

const CARDS: Record<string, { brand: string; last4: string; outcome: 'ok' | 'declined' | 'insufficient' | 'threeds' }> = {
  pm_card_visa: { brand: 'visa', last4: '4242', outcome: 'ok' },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', outcome: 'declined' },
  pm_card_chargeDeclinedInsufficientFunds: { brand: 'visa', last4: '9995', outcome: 'insufficient' },
  pm_card_threeDSecure2Required: { brand: 'visa', last4: '3220', outcome: 'threeds' },
};

export interface StripeStandIn {
  url: string;
  intents: Map<string, Intent>;
  /** Money movements: captures and refunds that changed an intent. */
  moves: { kind: 'capture' | 'refund'; intent: string; amount: number }[];
  requests: { method: string; path: string; idempotencyKey: string | undefined; form: Record<string, string> }[];
  /** The shopper passes 3-D Secure on Stripe's page. */
  authenticate(id: string): void;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) => new Promise<string>((resolve) => {
  let data = '';
  req.on('data', (c: Buffer) => { data += c.toString(); });
  req.on('end', () => resolve(data));
});

export async function startStripeStandIn(secretKey: string): Promise<StripeStandIn> {
  const intents = new Map<string, Intent>();
  const replies = new Map<string, { status: number; body: unknown }>();
  const moves: StripeStandIn['moves'] = [];
  const requests: StripeStandIn['requests'] = [];

  const view = (i: Intent, expand: string[]) => ({
    ...i,
    payment_method: expand.includes('payment_method') ? { id: i.payment_method, card: { brand: CARDS[i.payment_method]?.brand, last4: CARDS[i.payment_method]?.last4 } } : i.payment_method,
    latest_charge: expand.includes('latest_charge') ? { id: `ch_${i.id}`, amount_refunded: i.refunded } : `ch_${i.id}`,
  });
  const error = (status: number, type: string, code: string, message: string, extra: Record<string, unknown> = {}) =>
    ({ status, body: { error: { type, code, message, ...extra } } });

  function handle(method: string, path: string, form: Record<string, string>, expand: string[]): { status: number; body: unknown } {
    if (method === 'POST' && path === '/v1/payment_intents') {
      const card = CARDS[form.payment_method ?? ''];
      if (!card) return error(400, 'invalid_request_error', 'resource_missing', `No such PaymentMethod: '${form.payment_method}'`);
      if (form.capture_method !== 'manual' || form.confirm !== 'true') return error(400, 'invalid_request_error', 'parameter_invalid', 'stand-in expects confirm=true, capture_method=manual');
      const id = `pi_${randomBytes(12).toString('hex')}`;
      const intent: Intent = {
        id, object: 'payment_intent', status: 'requires_capture', amount: Number(form.amount), amount_received: 0, currency: form.currency ?? '',
        capture_method: 'manual', metadata: { payment_id: form['metadata[payment_id]'] ?? '' }, payment_method: form.payment_method ?? '',
        next_action: null, last_payment_error: null, refunded: 0,
      };
      intents.set(id, intent);
      if (card.outcome === 'threeds') {
        intent.status = 'requires_action';
        intent.next_action = { type: 'redirect_to_url', redirect_to_url: { url: `https://hooks.stripe.test/3ds/${id}`, return_url: form.return_url } };
      }
      if (card.outcome === 'declined' || card.outcome === 'insufficient') {
        intent.status = 'requires_payment_method';
        const decline = card.outcome === 'declined' ? 'generic_decline' : 'insufficient_funds';
        intent.last_payment_error = { code: 'card_declined', decline_code: decline };
        return error(402, 'card_error', 'card_declined', 'Your card was declined.', { decline_code: decline, payment_intent: view(intent, expand) });
      }
      return { status: 200, body: view(intent, expand) };
    }
    if (method === 'GET' && path === '/v1/payment_intents/search') {
      // The one query the adapter makes: metadata['payment_id']:'<id>'.
      const wanted = /^metadata\['payment_id'\]:'([^']*)'$/.exec(form.query ?? '')?.[1];
      if (wanted === undefined) return error(400, 'invalid_request_error', 'parameter_invalid', 'stand-in understands metadata[\'payment_id\'] queries only');
      return { status: 200, body: { object: 'search_result', data: [...intents.values()].filter((i) => i.metadata.payment_id === wanted).map((i) => view(i, expand.map((e) => e.replace(/^data\./, '')))), has_more: false } };
    }
    const match = /^\/v1\/payment_intents\/([^/]+)(?:\/(capture|cancel))?$/.exec(path);
    if (match) {
      const intent = intents.get(decodeURIComponent(match[1]!));
      if (!intent) return error(404, 'invalid_request_error', 'resource_missing', 'No such payment_intent');
      if (method === 'GET' && !match[2]) return { status: 200, body: view(intent, expand) };
      if (method === 'POST' && match[2] === 'capture') {
        if (intent.status !== 'requires_capture') return error(400, 'invalid_request_error', 'payment_intent_unexpected_state', `This PaymentIntent could not be captured because it has a status of ${intent.status}.`);
        const amount = form.amount_to_capture ? Number(form.amount_to_capture) : intent.amount;
        if (amount > intent.amount) return error(400, 'invalid_request_error', 'amount_too_large', 'amount_to_capture exceeds the authorized amount');
        intent.status = 'succeeded';
        intent.amount_received = amount;
        moves.push({ kind: 'capture', intent: intent.id, amount });
        return { status: 200, body: view(intent, expand) };
      }
      if (method === 'POST' && match[2] === 'cancel') {
        if (!['requires_capture', 'requires_action', 'requires_payment_method'].includes(intent.status)) {
          return error(400, 'invalid_request_error', 'payment_intent_unexpected_state', `You cannot cancel this PaymentIntent because it has a status of ${intent.status}.`);
        }
        intent.status = 'canceled';
        return { status: 200, body: view(intent, expand) };
      }
    }
    if (method === 'POST' && path === '/v1/refunds') {
      const intent = intents.get(form.payment_intent ?? '');
      if (!intent) return error(404, 'invalid_request_error', 'resource_missing', 'No such payment_intent');
      const amount = form.amount ? Number(form.amount) : intent.amount_received - intent.refunded;
      if (intent.status !== 'succeeded' || intent.refunded + amount > intent.amount_received) {
        return error(400, 'invalid_request_error', 'charge_already_refunded', 'Refund amount is greater than the unrefunded amount');
      }
      intent.refunded += amount;
      moves.push({ kind: 'refund', intent: intent.id, amount });
      return { status: 200, body: { id: `re_${randomBytes(8).toString('hex')}`, object: 'refund', amount, payment_intent: intent.id, status: 'succeeded' } };
    }
    return error(404, 'invalid_request_error', 'unknown_endpoint', `Unrecognized request URL (${method}: ${path})`);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const raw = req.method === 'POST' ? await readBody(req) : url.search.slice(1);
      const form: Record<string, string> = {};
      const expand: string[] = [];
      for (const [k, v] of new URLSearchParams(raw)) {
        if (k === 'expand[]') expand.push(v);
        else form[k] = v;
      }
      const key = req.headers['idempotency-key'] as string | undefined;
      requests.push({ method: req.method ?? '', path: url.pathname, idempotencyKey: key, form });
      let reply: { status: number; body: unknown };
      if (req.headers.authorization !== `Bearer ${secretKey}`) reply = error(401, 'invalid_request_error', 'api_key_invalid', 'Invalid API Key provided');
      else if (key && replies.has(key)) reply = replies.get(key)!;
      else {
        reply = handle(req.method ?? '', url.pathname, form, expand);
        if (key && req.method === 'POST') replies.set(key, reply);
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, intents, moves, requests,
    authenticate(id) {
      const intent = intents.get(id);
      if (intent?.status === 'requires_action') {
        intent.status = 'requires_capture';
        intent.next_action = null;
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
