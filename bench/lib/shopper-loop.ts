import { randomBytes } from 'node:crypto';
import type autocannon from 'autocannon';

type Request = autocannon.Request;
interface Shopper {
  cartId?: string;
  cartToken?: string;
  lineAdded?: boolean;
  checkoutSentAt?: number;
}

/**
 * One shopper's loop as an autocannon request sequence: a guest cart, one unit of the variant,
 * a checkout with the card token and a fresh Idempotency-Key. `checkedOut` hears each checkout's
 * status and how long it took. A cart or line refused sends the shopper back to a new cart.
 */
export function shopperLoop(variantId: string, paymentToken: string, checkedOut: (status: number, ms: number) => void): Request[] {
  const json = { 'content-type': 'application/json' };
  const shopper = (context: object) => context as Shopper;
  // A falsy request sends the shopper back to the first one, with a fresh context (autocannon).
  const startOver = undefined as unknown as Request;
  return [
    {
      method: 'POST', path: '/store/carts', headers: json, body: JSON.stringify({ currency: 'USD', email: 'buyer@example.com' }),
      onResponse: (status, body, context) => {
        if (status !== 201) return;
        const cart = JSON.parse(body) as { id: string; token: string };
        Object.assign(shopper(context), { cartId: cart.id, cartToken: cart.token });
      },
    },
    {
      method: 'POST',
      setupRequest: (request, context) => {
        const { cartId, cartToken } = shopper(context);
        if (!cartId || !cartToken) return startOver;
        return { ...request, path: `/store/carts/${cartId}/items`, headers: { ...json, 'x-cart-token': cartToken }, body: JSON.stringify({ variantId, quantity: 1 }) };
      },
      onResponse: (status, _body, context) => {
        shopper(context).lineAdded = status < 300;
      },
    },
    {
      method: 'POST',
      setupRequest: (request, context) => {
        const s = shopper(context);
        if (!s.lineAdded || !s.cartId || !s.cartToken) return startOver;
        s.checkoutSentAt = performance.now();
        return {
          ...request, path: `/store/carts/${s.cartId}/checkout`, body: JSON.stringify({ paymentToken }),
          headers: { ...json, 'x-cart-token': s.cartToken, 'idempotency-key': randomBytes(8).toString('hex') },
        };
      },
      onResponse: (status, _body, context) => {
        const sentAt = shopper(context).checkoutSentAt;
        if (sentAt !== undefined) checkedOut(status, performance.now() - sentAt);
      },
    },
  ];
}
