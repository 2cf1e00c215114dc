import { Type } from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { problem } from '../../platform/http/problem.js';
import { ProviderError } from './provider.js';
import { tokenizeCard, type TestPaymentProvider } from './test-provider.js';

const tags = ['payments'];

/**
 * The test processor's own endpoints, served by this app for the demo and tests: what
 * Stripe.js and the bank's 3-D Secure page are for a real processor. The card number is
 * turned into a token here and goes no further (not stored, not logged).
 */
export function testProviderRoutes(http: HttpServer, provider: TestPaymentProvider) {
  http.post('/payments/test/tokens', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Test processor: tokenise a card (4242… ok, …0002 declined, …9995 insufficient funds, …3220 3-D Secure)',
      body: Type.Object({
        number: Type.String({ minLength: 12, maxLength: 23 }), expMonth: Type.Integer({ minimum: 1, maximum: 12 }),
        expYear: Type.Integer({ minimum: 2000, maximum: 2100 }), cvc: Type.String({ minLength: 3, maxLength: 4 }),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ token: Type.String(), brand: Type.String(), last4: Type.String() }) },
    },
  }, async (req, reply) => {
    try {
      return reply.status(201).send(tokenizeCard(req.body));
    } catch (error) {
      if (error instanceof ProviderError) throw problem(422, 'card-invalid', error.message, { code: error.code });
      throw error;
    }
  });

  http.post('/payments/test/3ds/:ref', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Test processor: the shopper passes (or fails) the 3-D Secure step',
      params: Type.Object({ ref: Type.String({ pattern: '^tp_[0-9a-f]{32}$' }) }),
      body: Type.Object({ succeed: Type.Boolean() }, { additionalProperties: false }),
    },
  }, async (req) => {
    try {
      const state = await provider.completeThreeDSecure(req.params.ref, req.body.succeed);
      return { ref: state.ref, status: state.status };
    } catch (error) {
      if (error instanceof ProviderError) throw problem(404, 'payment-not-found', error.message);
      throw error;
    }
  });
}
