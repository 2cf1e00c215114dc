import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Database, Tx } from '../../platform/db/database.js';
import type { HttpServer } from '../../platform/http/server.js';
import type { Logger } from '../../platform/observability/logger.js';
import { applyCode, removeCode } from '../promotions/service.js';
import { lineAdder } from './add-lines.js';
import { shippingOptionsFor } from './pricing.js';
import { cartForToken, cartLines, cartStarter, cartView, chooseShippingOption, claimCart, assertOpen, removeItem, setItemQuantity, updateDetails, MAX_LINE_QUANTITY, type Cart, type CartItem, type PricingSettings } from './service.js';

export const Address = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }), line1: Type.String({ minLength: 1, maxLength: 200 }), line2: Type.Optional(Type.String({ maxLength: 200 })),
  city: Type.String({ minLength: 1, maxLength: 100 }), postalCode: Type.String({ minLength: 1, maxLength: 20 }), region: Type.Optional(Type.String({ maxLength: 100 })),
  country: Type.String({ pattern: '^[A-Z]{2}$' }),
}, { additionalProperties: false });
const Money = Type.Integer({ minimum: 0 });
const NullableAddress = Type.Union([Address, Type.Null()]);
export const CartView = Type.Object({
  id: Type.String(), status: Type.String(), currency: Type.String(), customerId: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]),
  shippingAddress: NullableAddress, billingAddress: NullableAddress, notes: Type.String(), orderId: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(Type.Object({ id: Type.String(), variantId: Type.String(), productId: Type.String(), sku: Type.String(), title: Type.String(), quantity: Type.Integer(), unitAmount: Money, discount: Money, tax: Money, total: Money })),
  promotions: Type.Array(Type.Object({ id: Type.String(), code: Type.Union([Type.String(), Type.Null()]), title: Type.String(), kind: Type.String(), amount: Money })),
  rejectedPromotions: Type.Array(Type.Object({ code: Type.String(), type: Type.String(), detail: Type.String() })),
  region: Type.Union([Type.Object({ code: Type.String(), taxRateBps: Type.Integer(), taxInclusive: Type.Boolean() }), Type.Null()]),
  shippingOptionId: Type.Union([Type.String(), Type.Null()]), shippingRequired: Type.Boolean(),
  totals: Type.Object({ subtotal: Money, discount: Money, shipping: Money, tax: Money, total: Money, taxInclusive: Type.Boolean() }),
});
const CartParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const ItemParams = Type.Object({ id: Type.String({ format: 'uuid' }), itemId: Type.String({ format: 'uuid' }) });
const TokenHeader = Type.Object({ 'x-cart-token': Type.Optional(Type.String({ maxLength: 200 })) });
const Quantity = Type.Integer({ minimum: 1, maximum: MAX_LINE_QUANTITY });
const CodeParams = Type.Object({ id: Type.String({ format: 'uuid' }), code: Type.String({ minLength: 1, maxLength: 64 }) });
const Code = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const ShippingQuote = Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), amount: Money, currency: Type.String() });
const tags = ['carts'];

export const cartToken = (req: FastifyRequest): string | undefined => {
  const value = req.headers['x-cart-token'];
  return typeof value === 'string' ? value : undefined;
};

export function cartRoutes(http: HttpServer, database: Database, pricing: PricingSettings, logger: Logger) {
  // No transaction: under READ COMMITTED it would give the reads no common snapshot, only a begin and a commit more.
  const view = async (id: string, token: string | undefined) => cartView(database.db, await cartForToken(database.db, id, token), pricing);
  // Every change locks the cart row first, so it cannot race a checkout of the same cart. Line
  // edits leave the row's own fields as they were (only updated_at moves): no second read for the view.
  // A change that returns the lines it left saves the view reading them again.
  const edit = (rowChanges: boolean) => (id: string, token: string | undefined, work: (tx: Tx, cart: Cart) => Promise<CartItem[] | void>) =>
    database.transaction(async (tx) => {
      const cart = await cartForToken(tx, id, token, rowChanges ? 'lock' : 'touch');
      const lines = await work(tx, cart);
      return cartView(tx, rowChanges ? await cartForToken(tx, id, token) : cart, pricing, lines ?? undefined);
    });
  const change = edit(true);
  const changeLines = edit(false);
  const addLine = lineAdder(database, pricing, logger);
  const startCart = cartStarter(database);

  http.post('/store/carts', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Start a cart; the answer carries its token (send it as X-Cart-Token)',
      body: Type.Object({ currency: Type.String({ pattern: '^[A-Z]{3}$' }), email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })) }, { additionalProperties: false }),
      response: { 201: Type.Intersect([CartView, Type.Object({ token: Type.String() })]) },
    },
  }, async (req, reply) => {
    // One insert (with the others started at the moment), no transaction; a new cart has no lines to read.
    const { cart, token } = await startCart(req.body);
    const made = { ...(await cartView(database.db, cart, pricing, [])), token };
    return reply.status(201).header('x-cart-token', made.token).send(made);
  });

  http.get('/store/carts/:id', {
    config: { permission: 'public' },
    schema: { tags, summary: 'A cart with its lines and totals', params: CartParams, headers: TokenHeader, response: { 200: CartView } },
  }, (req) => view(req.params.id, cartToken(req)));

  http.patch('/store/carts/:id', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'E-mail, addresses and notes', params: CartParams, headers: TokenHeader,
      body: Type.Object({ email: Type.Optional(Type.String({ format: 'email', maxLength: 320 })), shippingAddress: Type.Optional(Address), billingAddress: Type.Optional(Address), notes: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
      response: { 200: CartView },
    },
  }, (req) => change(req.params.id, cartToken(req), (tx, cart) => updateDetails(tx, cart, req.body)));

  http.post('/store/carts/:id/items', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Add a variant (quantities of the same variant add up)', params: CartParams, headers: TokenHeader,
      body: Type.Object({ variantId: Type.String({ format: 'uuid' }), quantity: Quantity }, { additionalProperties: false }),
      response: { 201: CartView },
    },
  }, async (req, reply) => reply.status(201).send(await addLine({ cartId: req.params.id, token: cartToken(req), ...req.body })));

  http.patch('/store/carts/:id/items/:itemId', {
    config: { permission: 'public' },
    schema: { tags, summary: 'Change a line\'s quantity', params: ItemParams, headers: TokenHeader, body: Type.Object({ quantity: Quantity }, { additionalProperties: false }), response: { 200: CartView } },
  }, (req) => changeLines(req.params.id, cartToken(req), (tx, cart) => setItemQuantity(tx, cart, req.params.itemId, req.body.quantity)));

  http.delete('/store/carts/:id/items/:itemId', {
    config: { permission: 'public' },
    schema: { tags, summary: 'Remove a line', params: ItemParams, headers: TokenHeader, response: { 200: CartView } },
  }, (req) => changeLines(req.params.id, cartToken(req), (tx, cart) => removeItem(tx, cart, req.params.itemId)));

  http.post('/store/carts/:id/claim', {
    config: { permission: 'carts:own' },
    schema: { tags, summary: 'Attach the cart to the signed-in customer, merging their other open cart', params: CartParams, headers: TokenHeader, response: { 200: CartView } },
  }, (req) => change(req.params.id, cartToken(req), (tx, cart) => claimCart(tx, cart, req.actor!.id)));

  http.post('/store/carts/:id/promotions', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Apply a promotion code (unknown, expired, used up or unmet minimum: a precise 4xx)', params: CartParams, headers: TokenHeader,
      body: Type.Object({ code: Code }, { additionalProperties: false }), response: { 200: CartView },
    },
  }, (req) => change(req.params.id, cartToken(req), async (tx, cart) => {
    assertOpen(cart);
    await applyCode(tx, cart, req.body.code, await cartLines(tx, cart.id));
  }));

  http.delete('/store/carts/:id/promotions/:code', {
    config: { permission: 'public' },
    schema: { tags, summary: 'Remove a promotion code from the cart', params: CodeParams, headers: TokenHeader, response: { 200: CartView } },
  }, (req) => change(req.params.id, cartToken(req), async (tx, cart) => {
    assertOpen(cart);
    await removeCode(tx, cart.id, req.params.code);
  }));

  http.get('/store/carts/:id/shipping-options', {
    config: { permission: 'public' },
    schema: { tags, summary: 'Shipping options for the cart\'s address, each priced for this cart', params: CartParams, headers: TokenHeader, response: { 200: Type.Object({ items: Type.Array(ShippingQuote) }) } },
  }, (req) => database.transaction(async (tx) => {
    const cart = await cartForToken(tx, req.params.id, cartToken(req));
    return { items: await shippingOptionsFor(tx, cart, await cartLines(tx, cart.id), pricing) };
  }));

  http.put('/store/carts/:id/shipping-option', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Choose one of the cart\'s shipping options', params: CartParams, headers: TokenHeader,
      body: Type.Object({ shippingOptionId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), response: { 200: CartView },
    },
  }, (req) => change(req.params.id, cartToken(req), (tx, cart) => chooseShippingOption(tx, cart, req.body.shippingOptionId, pricing)));
}
