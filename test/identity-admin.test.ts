import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { users } from '../src/modules/identity/schema.js';
import { verifyAuditChain } from '../src/platform/security/audit.js';
import { auditLog } from '../src/platform/security/schema.js';
import { createActor, createActors, strongPassword, uniqueEmail, type TestActors } from './support/actors.js';
import { startTestApp, type TestApp } from './support/test-app.js';

let app: TestApp;
let shop: TestActors;
beforeAll(async () => {
  app = await startTestApp();
  shop = await createActors(app);
});
afterAll(async () => app?.close());

const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, payload?: unknown) =>
  app.http.inject({ method, url, headers, payload: payload as never });

describe('staff accounts and roles', () => {
  test('an admin creates a support agent, changes the role, and both are audited', async () => {
    const email = uniqueEmail('agent');
    const password = strongPassword();
    const created = await inject('POST', '/admin/users', shop.admin.headers, { email, password, name: 'Sam Support', role: 'support_agent' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const session = (await inject('POST', '/auth/login', {}, { email, password })).json();
    const agent = { authorization: `Bearer ${session.accessToken}` };
    expect((await inject('GET', '/admin/users', agent)).statusCode).toBe(403);

    const promoted = await inject('PUT', `/admin/users/${id}/role`, shop.admin.headers, { role: 'staff' });
    expect(promoted.json()).toMatchObject({ role: 'staff' });
    // The role is read per request: the same access token now carries staff's permissions.
    expect((await inject('GET', '/auth/me', agent)).json().permissions).toContain('products:write');

    const log = (await inject('GET', '/admin/audit-log', shop.admin.headers)).json().items as { action: string; subjectId: string; data: unknown }[];
    expect(log).toContainEqual(expect.objectContaining({ action: 'user.role-changed', subjectId: id, data: { from: 'support_agent', to: 'staff' } }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'user.created', subjectId: id }));
  });

  test('a disabled account is signed out at once and cannot sign in until enabled again', async () => {
    const member = await createActor(app, 'staff');
    const disabled = await inject('PUT', `/admin/users/${member.id}/status`, shop.admin.headers, { status: 'disabled' });
    expect(disabled.json()).toMatchObject({ status: 'disabled' });
    expect((await inject('GET', '/auth/me', member.headers)).statusCode).toBe(401);
    expect((await inject('POST', '/auth/refresh', {}, { refreshToken: member.refreshToken })).statusCode).toBe(401);
    expect((await inject('POST', '/auth/login', {}, { email: member.email, password: member.password })).statusCode).toBe(401);
    await inject('PUT', `/admin/users/${member.id}/status`, shop.admin.headers, { status: 'active' });
    expect((await inject('POST', '/auth/login', {}, { email: member.email, password: member.password })).statusCode).toBe(200);
  });

  test('an admin cannot demote themselves', async () => {
    const response = await inject('PUT', `/admin/users/${shop.admin.id}/role`, shop.admin.headers, { role: 'staff' });
    expect(response.statusCode).toBe(409);
  });
});

describe('API keys', () => {
  test('shown once, scoped to their permissions, last use recorded, revocable', async () => {
    const created = await inject('POST', '/admin/api-keys', shop.admin.headers, { name: 'ERP sync', permissions: ['customers:read', 'orders:read:any'] });
    expect(created.statusCode, created.body).toBe(201);
    const { key, id } = created.json();
    expect(key).toMatch(/^cmk_/);
    const listed = (await inject('GET', '/admin/api-keys', shop.admin.headers)).json().items;
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(listed.find((k: { id: string }) => k.id === id)).toMatchObject({ lastUsedAt: null, permissions: ['customers:read', 'orders:read:any'] });

    // In scope: passes the authorizer (here the route is an admin one, so out of scope → 403).
    expect((await inject('GET', '/admin/users', { 'x-api-key': key })).statusCode).toBe(403);
    expect((await inject('GET', '/admin/users', { authorization: `Bearer ${key}` })).json()).toMatchObject({ type: '/problems/forbidden', permission: 'users:write' });
    const used = (await inject('GET', '/admin/api-keys', shop.admin.headers)).json().items.find((k: { id: string }) => k.id === id);
    expect(used.lastUsedAt).not.toBeNull();

    expect((await inject('DELETE', `/admin/api-keys/${id}`, shop.admin.headers)).statusCode).toBe(204);
    expect((await inject('GET', '/admin/users', { 'x-api-key': key })).statusCode).toBe(401);
    expect((await inject('GET', '/admin/users', { 'x-api-key': 'cmk_made-up-key' })).statusCode).toBe(401);
  });

  test('an API key with an admin permission can use that admin route', async () => {
    const { key } = (await inject('POST', '/admin/api-keys', shop.admin.headers, { name: 'audit export', permissions: ['audit:read'] })).json();
    expect((await inject('GET', '/admin/audit-log', { 'x-api-key': key })).statusCode).toBe(200);
  });

  test('an unknown permission is refused and nothing is created', async () => {
    const before = (await inject('GET', '/admin/api-keys', shop.admin.headers)).json().items.length;
    const response = await inject('POST', '/admin/api-keys', shop.admin.headers, { name: 'bad', permissions: ['everything:please'] });
    expect(response.statusCode).toBe(422);
    expect((await inject('GET', '/admin/api-keys', shop.admin.headers)).json().items.length).toBe(before);
  });
});

describe('privacy rights', () => {
  test('a customer manages only their own address book', async () => {
    const address = { name: 'Ada Shopper', line1: '1 Market St', city: 'Lyon', postalCode: '69001', country: 'fr' };
    const added = await inject('POST', '/store/me/addresses', shop.customer.headers, address);
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ country: 'FR' });
    expect((await inject('GET', '/store/me/addresses', shop.otherCustomer.headers)).json().items).toEqual([]);
    expect((await inject('DELETE', `/store/me/addresses/${added.json().id}`, shop.otherCustomer.headers)).statusCode).toBe(404);
    expect((await inject('PUT', `/store/me/addresses/${added.json().id}`, shop.otherCustomer.headers, { ...address, city: 'Evil' })).statusCode).toBe(404);
    const moved = await inject('PUT', `/store/me/addresses/${added.json().id}`, shop.customer.headers, { ...address, city: 'Paris', postalCode: '75001' });
    expect(moved.json()).toMatchObject({ id: added.json().id, city: 'Paris' });
    expect((await inject('GET', '/store/me/addresses', shop.customer.headers)).json().items).toHaveLength(1);
  });

  test('export holds the customer\'s data; erasure anonymises, ends sessions, and is audited', async () => {
    const customer = await createActor(app, 'customer');
    await inject('POST', '/store/me/addresses', customer.headers, { name: 'Bo Buyer', line1: '2 Quay', city: 'Oslo', postalCode: '0150', country: 'NO' });
    const exported = await inject('GET', '/store/me/data-export', customer.headers);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toContain('attachment');
    expect(exported.json()).toMatchObject({ account: { id: customer.id, email: customer.email }, addresses: [expect.objectContaining({ city: 'Oslo' })] });
    expect(exported.json().securityEvents).toContainEqual(expect.objectContaining({ action: 'login.succeeded' }));

    expect((await inject('POST', '/store/me/erase', customer.headers, { password: 'not my password!!' })).statusCode).toBe(403);
    expect((await inject('POST', '/store/me/erase', customer.headers, { password: customer.password })).statusCode).toBe(204);
    expect((await inject('GET', '/auth/me', customer.headers)).statusCode).toBe(401);
    expect((await inject('POST', '/auth/login', {}, { email: customer.email, password: customer.password })).statusCode).toBe(401);
    const [row] = await app.database.db.select().from(users).where(eq(users.id, customer.id!));
    expect(row).toMatchObject({ status: 'erased', name: 'Erased customer', passwordHash: null });
    expect(row!.email).not.toContain(customer.email.split('@')[0]);
    const log = (await inject('GET', '/admin/audit-log', shop.admin.headers)).json().items as { action: string; subjectId: string }[];
    expect(log).toContainEqual(expect.objectContaining({ action: 'privacy.erased', subjectId: customer.id }));
    expect(log).toContainEqual(expect.objectContaining({ action: 'privacy.data-exported', subjectId: customer.id }));
    // The same address can register again: it no longer belongs to anyone.
    expect((await inject('POST', '/auth/register', {}, { email: customer.email, password: strongPassword(), name: 'New Ada' })).statusCode).toBe(201);
  });
});

describe('audit chain', () => {
  test('the chain verifies, and an edited or deleted entry is detected', async () => {
    const intact = await verifyAuditChain(app.database.db);
    expect(intact).toMatchObject({ ok: true });
    expect(intact.entries).toBeGreaterThan(5);

    const [victim] = await app.database.db.select().from(auditLog).where(eq(auditLog.action, 'user.role-changed'));
    await app.database.db.update(auditLog).set({ data: { from: 'support_agent', to: 'customer' } }).where(eq(auditLog.seq, victim!.seq));
    const edited = await verifyAuditChain(app.database.db);
    expect(edited).toMatchObject({ ok: false, brokenAt: { seq: victim!.seq, reason: expect.stringMatching(/changed/) } });
    await app.database.db.update(auditLog).set({ data: victim!.data }).where(eq(auditLog.seq, victim!.seq));
    expect(await verifyAuditChain(app.database.db)).toMatchObject({ ok: true });

    const [third] = await app.database.db.select().from(auditLog).where(eq(auditLog.seq, 3));
    await app.database.db.delete(auditLog).where(eq(auditLog.seq, 3));
    expect(await verifyAuditChain(app.database.db)).toMatchObject({ ok: false, brokenAt: { seq: 3, reason: expect.stringMatching(/missing/) } });
    await app.database.db.insert(auditLog).values(third!);
    expect(await verifyAuditChain(app.database.db)).toMatchObject({ ok: true });
  });

  test('deleting the newest entries is detected against the recorded head', async () => {
    expect(await verifyAuditChain(app.database.db)).toMatchObject({ ok: true });
    await inject('GET', '/store/me/data-export', shop.otherCustomer.headers);
    const [last] = await app.database.db.select({ seq: sql<number>`max(${auditLog.seq})` }).from(auditLog);
    await app.database.db.delete(auditLog).where(eq(auditLog.seq, Number(last!.seq)));
    expect(await verifyAuditChain(app.database.db)).toMatchObject({ ok: false, brokenAt: { reason: expect.stringMatching(/deleted/) } });
  });
});
