import { expect, test } from 'vitest';
import { orderSeeders, resolveSizes, SeedError, type Seeder } from './seed.js';

const seeder = (name: string, after: string[] = [], sizes: Seeder['sizes'] = {}): Seeder => ({ name, after, sizes, run: async () => {} });

test('seeders run after the ones they depend on', () => {
  const order = orderSeeders([seeder('orders', ['catalog', 'customers']), seeder('catalog'), seeder('customers', ['catalog'])]);
  expect(order.map((s) => s.name)).toEqual(['catalog', 'customers', 'orders']);
});

test('a dependency cycle or a missing dependency is reported by name', () => {
  expect(() => orderSeeders([seeder('a', ['b']), seeder('b', ['a'])])).toThrow(/cycle: a → b → a/);
  expect(() => orderSeeders([seeder('a', ['ghost'])])).toThrow(SeedError);
});

test('size flags default per seeder and reject unknown names and bad numbers', () => {
  const seeders = [seeder('catalog', [], { products: { default: 500, description: 'products' } })];
  expect(resolveSizes(seeders, {})).toEqual({ products: 500 });
  expect(resolveSizes(seeders, { products: 100_000 })).toEqual({ products: 100_000 });
  expect(() => resolveSizes(seeders, { widgets: 3 })).toThrow('Unknown size --widgets; known sizes: --products');
  expect(() => resolveSizes(seeders, { products: -1 })).toThrow(/whole number/);
});
