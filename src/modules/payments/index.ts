import { randomBytes } from 'node:crypto';
import type { ModuleContext } from '../../platform/module.js';
import type { HttpServer } from '../../platform/http/server.js';
import { persistedSecret } from '../../platform/security/secrets.js';
import { paymentEvents } from './events.js';
import type { PaymentProvider } from './provider.js';
import { StripePaymentProvider } from './stripe.js';
import { TestPaymentProvider } from './test-provider.js';

export { paymentEvents };

/**
 * The processors of this app instance. The test provider delivers its webhooks to the
 * configured URL or, by default, through this app's own HTTP stack (the real route, the
 * real signature check), without a network hop.
 */
export async function createProviders(ctx: ModuleContext) {
  const secret = ctx.config.testPaymentsWebhookSecret ?? await persistedSecret(ctx.database.db, 'payments-test-webhook', () => `whsec_${randomBytes(24).toString('hex')}`);
  const test = new TestPaymentProvider({
    secret, delayMs: ctx.config.testPaymentsWebhookDelayMs, duplicatePercent: ctx.config.testPaymentsWebhookDuplicatePercent,
    logger: ctx.logger, publicUrl: ctx.config.publicUrl, ledgerFile: ctx.config.testPaymentsLedgerFile,
  });
  const url = ctx.config.testPaymentsWebhookUrl;
  const wire = (http: HttpServer) => {
    test.deliver = async (body, signature) => {
      const headers = { 'content-type': 'application/json', 'cloudmart-signature': signature };
      const status = url
        ? (await fetch(url, { method: 'POST', headers, body })).status
        : (await http.inject({ method: 'POST', url: '/webhooks/payments/test', headers, payload: body })).statusCode;
      if (status >= 300) throw new Error(`webhook answered ${status}`);
    };
  };
  const providers = new Map<string, PaymentProvider>([[test.name, test]]);
  const { stripeSecretKey, stripeWebhookSecret } = ctx.config;
  if (stripeSecretKey && stripeWebhookSecret) {
    // After 3-D Secure, Stripe sends the shopper back to the storefront, which calls POST /store/carts/{id}/complete.
    const stripe = new StripePaymentProvider({ secretKey: stripeSecretKey, webhookSecret: stripeWebhookSecret, apiUrl: ctx.config.stripeApiUrl, returnUrl: `${ctx.config.publicUrl}/checkout/return` });
    providers.set(stripe.name, stripe);
  }
  return { test, providers, wire };
}
