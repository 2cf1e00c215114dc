import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActors, type TestActors } from './support/actors.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let app: TestApp;
let shop: TestActors;
beforeAll(async () => {
  app = await startTestApp();
  shop = await createActors(app);
});
afterAll(async () => app?.close());

test('every actor helper signs in with its role', async () => {
  for (const [label, role] of [['customer', 'customer'], ['otherCustomer', 'customer'], ['supportAgent', 'support_agent'], ['staff', 'staff'], ['admin', 'admin']] as const) {
    const me = await app.http.inject({ url: '/auth/me', headers: shop[label].headers });
    expect(me.statusCode, label).toBe(200);
    expect(me.json()).toMatchObject({ id: shop[label].id, role });
  }
  expect((await app.http.inject({ url: '/auth/me', headers: shop.anonymous.headers })).statusCode).toBe(401);
  expect(shop.customer.id).not.toBe(shop.otherCustomer.id);
});

test('the admin helper is signed in with MFA and can use admin routes', async () => {
  const me = await app.http.inject({ url: '/auth/me', headers: shop.admin.headers });
  expect(me.json()).toMatchObject({ mfaEnabled: true, mfaSession: true });
  expect((await app.http.inject({ url: '/admin/users', headers: shop.admin.headers })).statusCode).toBe(200);
  expect((await app.http.inject({ url: '/admin/users', headers: shop.staff.headers })).statusCode).toBe(403);
});
