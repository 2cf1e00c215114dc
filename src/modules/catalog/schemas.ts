import Type from 'typebox';

const closed = { additionalProperties: false } as const;
const Minor = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Integer minor units (1999 = 19.99)' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const Id = Type.String({ format: 'uuid' });

export const PriceBody = Type.Object({ currency: Currency, amount: Minor, compareAt: Type.Optional(Type.Union([Minor, Type.Null()])) }, closed);
export const VariantBody = Type.Object({
  id: Type.Optional(Id),
  sku: Type.String({ minLength: 1, maxLength: 100 }),
  barcode: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  title: Type.Optional(Type.String({ maxLength: 255 })),
  weightGrams: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  optionValues: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 3 })),
  inventoryQuantity: Type.Optional(Type.Integer({ minimum: 0 })),
  prices: Type.Optional(Type.Array(PriceBody, { maxItems: 50 })),
}, closed);

const Attribute = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 100 }),
  type: Type.Union([Type.Literal('text'), Type.Literal('number'), Type.Literal('boolean')]),
  value: Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean()]),
}, closed);
const Option = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), values: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 100 }) }, closed);
const Image = Type.Object({ mediaId: Type.Optional(Id), url: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })), alt: Type.Optional(Type.String({ maxLength: 500 })) }, closed);
const Status = Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('archived')]);

const productFields = {
  handle: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  descriptionHtml: Type.Optional(Type.String({ maxLength: 100_000 })),
  status: Type.Optional(Status),
  productType: Type.Optional(Type.String({ maxLength: 255 })),
  vendor: Type.Optional(Type.String({ maxLength: 255 })),
  tags: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 250 })),
  seoTitle: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  seoDescription: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  attributes: Type.Optional(Type.Array(Attribute, { maxItems: 100 })),
  options: Type.Optional(Type.Array(Option, { maxItems: 3 })),
  categoryIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  images: Type.Optional(Type.Array(Image, { maxItems: 50 })),
  variants: Type.Optional(Type.Array(VariantBody, { maxItems: 100 })),
};

export const ProductBody = Type.Object({ title: Type.String({ minLength: 1, maxLength: 255 }), ...productFields }, closed);
export const ProductPatchBody = Type.Object({ title: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })), ...productFields }, closed);

export const BulkBody = Type.Object({
  productIds: Type.Array(Id, { minItems: 1, maxItems: 1000 }),
  set: Type.Object({
    status: Type.Optional(Status),
    vendor: Type.Optional(Type.String({ maxLength: 255 })),
    productType: Type.Optional(Type.String({ maxLength: 255 })),
    addTags: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 50 })),
    removeTags: Type.Optional(Type.Array(Type.String({ maxLength: 255 }), { maxItems: 50 })),
    /** Multiplies every base price in this currency, e.g. 0.9 for 10 % off; rounded half-up to a whole minor unit. */
    priceFactor: Type.Optional(Type.Object({ currency: Currency, factor: Type.Number({ exclusiveMinimum: 0, maximum: 100 }) }, closed)),
  }, closed),
}, closed);

export const CategoryBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 255 }),
  handle: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  parentId: Type.Optional(Type.Union([Id, Type.Null()])),
  position: Type.Optional(Type.Integer({ minimum: 0 })),
}, closed);
export const CategoryPatchBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  handle: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  parentId: Type.Optional(Type.Union([Id, Type.Null()])),
  position: Type.Optional(Type.Integer({ minimum: 0 })),
}, closed);

const Rules = Type.Object({
  tagsAny: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
  productTypes: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
  vendors: Type.Optional(Type.Array(Type.String(), { maxItems: 50 })),
  price: Type.Optional(Type.Object({ currency: Currency, min: Type.Optional(Minor), max: Type.Optional(Minor) }, closed)),
}, closed);
const collectionFields = {
  handle: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  descriptionHtml: Type.Optional(Type.String({ maxLength: 100_000 })),
  rules: Type.Optional(Type.Union([Rules, Type.Null()])),
  productIds: Type.Optional(Type.Array(Id, { maxItems: 10_000 })),
};
export const CollectionBody = Type.Object({ title: Type.String({ minLength: 1, maxLength: 255 }), ...collectionFields }, closed);
export const CollectionPatchBody = Type.Object({ title: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })), ...collectionFields }, closed);

const ListPrice = Type.Object({ variantId: Id, currency: Currency, amount: Minor, compareAt: Type.Optional(Type.Union([Minor, Type.Null()])) }, closed);
const priceListFields = {
  kind: Type.Optional(Type.Union([Type.Literal('sale'), Type.Literal('override')])),
  customerGroup: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
  region: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
  startsAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  endsAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  prices: Type.Optional(Type.Array(ListPrice, { maxItems: 10_000 })),
};
export const PriceListBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 255 }), ...priceListFields }, closed);
export const PriceListPatchBody = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })), ...priceListFields }, closed);

export const ReviewBody = Type.Object({
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
  title: Type.Optional(Type.String({ maxLength: 200 })),
  body: Type.Optional(Type.String({ maxLength: 5000 })),
  authorName: Type.Optional(Type.String({ maxLength: 100 })),
}, closed);

export const IdParams = Type.Object({ id: Id });
export const Json = Type.Object({}, { additionalProperties: true });
