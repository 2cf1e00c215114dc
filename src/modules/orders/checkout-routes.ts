import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { Problem, problem } from '../../platform/http/problem.js';
import { cartToken } from '../carts/routes.js';
import { cartForToken, cartOnceSettled } from '../carts/service.js';
import { WebhookSignatureError } from '../payments/provider.js';
import { paymentByRef, providerFor } from '../payments/service.js';
import { startCheckout } from './checkout.js';
import { completeCheckout, type CompletionResult } from './complete.js';
import type { OrderDeps } from './deps.js';

const CartParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Headers = Type.Object({ 'x-cart-token': Type.Optional(Type.String({ maxLength: 200 })), 'idempotency-key': Type.Optional(Type.String({ maxLength: 255 })) });
const Completion = Type.Object({
  status: Type.Union([Type.Literal('completed'), Type.Literal('requires_action')]), cartId: Type.String(),
  orderId: Type.Optional(Type.String()), number: Type.Optional(Type.Integer()),
  nextAction: Type.Optional(Type.Union([Type.Object({ type: Type.String(), url: Type.String() }), Type.Null()])),
});
const tags = ['checkout'];
const statusOf = (r: CompletionResult): 201 | 202 => (r.status === 'completed' ? 201 : 202);

export function checkoutRoutes(http: HttpServer, deps: OrderDeps) {
  http.post('/store/carts/:id/checkout', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Check out: hold stock, authorize the payment, place the order (send an Idempotency-Key)',
      params: CartParams, headers: Headers,
      body: Type.Object({
        paymentToken: Type.String({ minLength: 1, maxLength: 200 }), provider: Type.Optional(Type.String({ maxLength: 40 })),
        email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })),
      }, { additionalProperties: false }),
      response: { 201: Completion, 202: Completion },
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const result = await idempotent(deps.database, { scope: `checkout:${req.params.id}`, key: typeof key === 'string' ? key : undefined, body: req.body }, async () => {
      const done = await startCheckout(deps, req.params.id, cartToken(req), req.body);
      return { status: statusOf(done), body: done };
    });
    if (result.replayed) reply.header('idempotent-replayed', 'true');
    return reply.status(result.status as 201 | 202).send(result.body);
  });

  http.post('/store/carts/:id/complete', {
    config: { permission: 'public' },
    schema: { tags, summary: 'The shopper is back from the payment step (3-D Secure): complete the order', params: CartParams, headers: Headers, response: { 201: Completion, 202: Completion } },
  }, async (req, reply) => {
    await cartForToken(deps.database.db, req.params.id, cartToken(req));
    const done = await completeCheckout(deps, req.params.id);
    return reply.status(statusOf(done)).send(done);
  });

  // The processor signs the exact bytes it sent, so this route reads the body as text.
  void http.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    scope.post('/webhooks/payments/:provider', {
      config: { permission: 'public' },
      schema: { tags, summary: 'Payment processor webhooks (signed)', params: Type.Object({ provider: Type.String({ maxLength: 40 }) }) },
    }, async (req) => {
      const provider = providerFor(deps.providers, req.params.provider);
      let event;
      try {
        event = provider.parseWebhook(req.headers, typeof req.body === 'string' ? req.body : '');
      } catch (error) {
        if (error instanceof WebhookSignatureError) throw problem(400, 'invalid-signature', `The webhook signature is ${error.reason}`, { reason: error.reason });
        throw error;
      }
      // The shopper's checkout request is usually placing this order as the webhook comes in, or
      // has just placed it: in this process, its answer is awaited, not raced, nor looked up.
      const known = await deps.ownCheckouts.orderOf(provider.name, event.ref);
      if (known) return { received: true, orderId: known };
      const payment = await paymentByRef(deps.database.db, provider.name, event.ref);
      // Not recorded yet (the webhook overtook our own bookkeeping): a non-2xx makes the processor send it again.
      if (!payment) throw problem(409, 'payment-unknown', `No payment ${event.ref} yet`, { ref: event.ref });
      if (payment.orderId) return { received: true, orderId: payment.orderId };
      // Elsewhere, the completion under way is waited out on the cart's row, in one statement,
      // rather than raced in a transaction that would queue on the same row only to find the order placed.
      const cart = await cartOnceSettled(deps.database.db, payment.cartId);
      if (cart?.status === 'completed' && cart.orderId && cart.checkoutId === payment.checkoutId) return { received: true, orderId: cart.orderId };
      try {
        const done = await completeCheckout(deps, payment.cartId, { payment, orderIdOnly: true });
        return { received: true, ...(done.status === 'completed' ? { orderId: done.orderId } : {}) };
      } catch (error) {
        // A business outcome (declined, superseded) is final: resending the webhook would not change it.
        if (error instanceof Problem && error.status < 500) return { received: true, outcome: error.slug };
        throw error;
      }
    });
  });
}
