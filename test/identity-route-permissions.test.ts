import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RouteOptions } from 'fastify';
import { allModules } from '../src/modules/index.js';
import { identityModule } from '../src/modules/identity/index.js';
import { isPermission, roleAllows, type Role } from '../src/modules/identity/permissions.js';
import { newId } from '../src/platform/ids.js';
import type { ModuleDefinition } from '../src/platform/module.js';
import { createActor, createActors, signIn, type TestActor, type TestActors } from './support/actors.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Generated from the live route table: every route of every registered module is called as
 * each kind of caller, and the answer must match the permission map. A new route is
 * covered the moment it exists; a route with no permission cannot even be registered.
 */
interface LiveRoute {
  method: string;
  url: string;
  permission: string;
}

const routes: LiveRoute[] = [];
const probe: ModuleDefinition = {
  name: 'route-table-probe',
  routes(http) {
    http.addHook('onRoute', (route: RouteOptions) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
      for (const method of methods) routes.push({ method, url: route.url, permission: String(route.config?.permission) });
    });
  },
};

let app: TestApp;
let shop: TestActors;
beforeAll(async () => {
  app = await startTestApp({ modules: [probe, ...allModules] });
  shop = await createActors(app);
}, 120_000);
afterAll(async () => app?.close());

const callers: [keyof TestActors, Role | null][] = [
  ['anonymous', null], ['customer', 'customer'], ['otherCustomer', 'customer'], ['supportAgent', 'support_agent'], ['staff', 'staff'], ['admin', 'admin'],
];

const pathFor = (url: string) => url.replace(/:[A-Za-z]+/g, () => newId());

async function request(route: LiveRoute, actor: TestActor) {
  const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {};
  return app.http.inject({ method: route.method as 'GET', url: pathFor(route.url), headers: actor.headers, ...body });
}

/** A call that succeeded may have ended the caller's session (log out everywhere): sign in again if so. */
async function keepSignedIn(label: keyof TestActors): Promise<void> {
  const actor = shop[label];
  if (!actor.id) return;
  const me = await app.http.inject({ url: '/auth/me', headers: actor.headers });
  if (me.statusCode === 200) return;
  if (actor.kind !== 'admin') {
    const session = await signIn(app, actor.email, actor.password);
    shop[label] = { ...actor, headers: { authorization: `Bearer ${session.accessToken}` }, accessToken: session.accessToken };
    return;
  }
  shop[label] = await createActor(app, 'admin');
}

describe('route table × caller matrix', () => {
  test('the table holds identity\'s routes and every route names a known permission or public', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining(['POST /auth/login', 'GET /auth/me', 'GET /admin/users', 'GET /store/me/data-export']));
    const unknown = routes.filter((r) => r.permission !== 'public' && !isPermission(r.permission));
    expect(unknown, 'routes naming a permission that is not in the map').toEqual([]);
  });

  test('every route answers each caller as the permission map says', async () => {
    const mismatches: string[] = [];
    for (const route of routes) {
      for (const [label, role] of callers) {
        const response = await request(route, shop[label]);
        const status = response.statusCode;
        const where = `${route.method} ${route.url} as ${label} (${route.permission}) → ${status}`;
        if (status >= 500) mismatches.push(`${where}: server error ${response.body}`);
        else if (route.permission === 'public') {
          if (status === 403) mismatches.push(`${where}: a public route refused a caller`);
        } else if (role === null) {
          if (status !== 401) mismatches.push(`${where}: expected 401`);
        } else if (!roleAllows(role, route.permission)) {
          if (status !== 403) mismatches.push(`${where}: expected 403`);
        } else if (status === 401 || status === 403) {
          mismatches.push(`${where}: expected the route to let this role in`);
        }
        if (status < 300) await keepSignedIn(label);
      }
    }
    expect(mismatches).toEqual([]);
  }, 180_000);

  test('routes a role may use answer 2xx for it, and routes it may not are 403', async () => {
    const expectations: [string, string, keyof TestActors, number][] = [
      ['GET', '/auth/me', 'customer', 200], ['GET', '/store/me/addresses', 'customer', 200], ['GET', '/store/me/data-export', 'customer', 200],
      ['GET', '/admin/users', 'admin', 200], ['GET', '/admin/api-keys', 'admin', 200], ['GET', '/admin/audit-log', 'admin', 200],
      ['GET', '/admin/dev-mailbox', 'admin', 200], ['GET', '/admin/permissions', 'admin', 200],
      ['GET', '/admin/webhooks', 'admin', 200], ['GET', '/admin/webhooks/event-types', 'admin', 200],
      ['GET', '/admin/webhooks', 'staff', 403], ['GET', '/admin/webhooks/event-types', 'supportAgent', 403], ['GET', '/admin/webhooks', 'customer', 403],
      ['GET', '/admin/users', 'staff', 403], ['GET', '/store/me/addresses', 'staff', 403], ['GET', '/admin/audit-log', 'supportAgent', 403],
      ['GET', '/admin/users', 'customer', 403], ['GET', '/store/me/data-export', 'admin', 403],
      // Returns: customers ask (returns:own), staff and support read (orders:read:any), only staff decide (orders:write).
      ['GET', '/admin/returns', 'staff', 200], ['GET', '/admin/returns', 'supportAgent', 200], ['GET', '/admin/returns', 'customer', 403],
      ['GET', '/store/orders/00000000-0000-7000-8000-000000000000/returns', 'customer', 404],
      ['GET', '/store/orders/00000000-0000-7000-8000-000000000000/returns', 'staff', 403],
      ['POST', '/admin/returns/00000000-0000-7000-8000-000000000000/approve', 'supportAgent', 403],
      ['POST', '/admin/returns/00000000-0000-7000-8000-000000000000/approve', 'customer', 403],
      ['GET', '/admin/promotions', 'staff', 200], ['GET', '/admin/regions', 'staff', 200], ['GET', '/admin/promotions', 'supportAgent', 403],
      ['GET', '/admin/regions', 'customer', 403], ['POST', '/admin/regions', 'customer', 403],
    ];
    for (const [method, url, label, status] of expectations) {
      await keepSignedIn(label);
      const response = await app.http.inject({ method: method as 'GET', url, headers: shop[label].headers });
      expect(response.statusCode, `${method} ${url} as ${label}: ${response.body}`).toBe(status);
    }
  });
});

test('a route that forgets its permission stops the app from starting', async () => {
  const forgetful: ModuleDefinition = { name: 'forgetful', routes: (http) => void http.get('/store/oops', async () => ({})) };
  await expect(startTestApp({ modules: [identityModule, forgetful] })).rejects.toThrow(/declares no permission/);
});
