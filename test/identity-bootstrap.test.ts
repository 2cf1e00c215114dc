import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import { jwtVerify } from 'jose';
import { expect, test } from 'vitest';
import { bootstrapAdmin } from '../src/modules/identity/accounts.js';
import { users } from '../src/modules/identity/schema.js';
import { openDatabase } from '../src/platform/db/database.js';
import { platformMeta } from '../src/platform/db/schema.js';
import { FieldCipher } from '../src/platform/security/field-crypto.js';
import { TokenSigner } from '../src/platform/security/tokens.js';
import { migrateDatabase } from '../src/platform/db/migrate.js';
import { appendAudit } from '../src/platform/security/audit.js';
import { auditLog } from '../src/platform/security/schema.js';
import { hashPassword } from '../src/platform/security/passwords.js';
import { createActor, strongPassword } from './support/actors.js';
import { startTestApp } from './support/test-app.js';

test('ADMIN_EMAIL/ADMIN_PASSWORD create the first admin; once an admin exists, bootstrapping again does nothing', async () => {
  const password = strongPassword();
  const env = { ADMIN_EMAIL: 'Owner@Shop.example', ADMIN_PASSWORD: password };
  const app = await startTestApp({ env });
  try {
    const login = await app.http.inject({ method: 'POST', url: '/auth/login', payload: { email: 'owner@shop.example', password } });
    expect(login.statusCode).toBe(200);
    expect(login.json().user).toMatchObject({ role: 'admin', email: 'owner@shop.example', mfaEnabled: false });
    // Until enrolled in MFA, the admin reaches only their account.
    expect((await app.http.inject({ url: '/admin/users', headers: { authorization: `Bearer ${login.json().accessToken}` } })).statusCode).toBe(403);
    expect(await bootstrapAdmin(app.database, 'someone-else@shop.example', strongPassword())).toBeNull();
  } finally {
    await app.close();
  }
});

test('configured keys: access tokens verify with the public half of AUTH_SIGNING_KEY', async () => {
  const pem = await TokenSigner.generatePkcs8();
  const app = await startTestApp({ env: { AUTH_SIGNING_KEY: pem, ENCRYPTION_KEY: FieldCipher.generateKey() } });
  try {
    const customer = await createActor(app, 'customer');
    const { payload } = await jwtVerify(customer.accessToken, createPublicKey(pem), { algorithms: ['EdDSA'] });
    expect(payload).toMatchObject({ sub: customer.id, typ: 'access', iss: 'cloudmart' });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(900);
    // Nothing was generated into the database when both keys are configured.
    const stored = await app.database.db.select().from(platformMeta).where(like(platformMeta.key, 'secret:%'));
    expect(stored.map((s) => s.key)).not.toContain('secret:auth-signing-key');
    expect(stored.map((s) => s.key)).not.toContain('secret:field-encryption-key');
  } finally {
    await app.close();
  }
});

test('login upgrades a hash made with older argon2 parameters', async () => {
  const app = await startTestApp();
  try {
    const customer = await createActor(app, 'customer');
    const weaker = await hashPassword(customer.password, { memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await app.database.db.update(users).set({ passwordHash: weaker }).where(eq(users.id, customer.id!));
    expect((await app.http.inject({ method: 'POST', url: '/auth/login', payload: { email: customer.email, password: customer.password } })).statusCode).toBe(200);
    const [row] = await app.database.db.select().from(users).where(eq(users.id, customer.id!));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
  } finally {
    await app.close();
  }
});

function cli(args: string[], dataDir: string): Promise<{ code: number; output: string }> {
  const { DATABASE_URL: _db, NATS_URL: _nats, ...env } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
    cwd: resolve(import.meta.dirname, '..'), env: { ...env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  return new Promise((done) => child.on('exit', (code) => done({ code: code ?? -1, output })));
}

test('cloudmart audit:verify passes an intact chain and fails an edited one', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'cm-audit-')), 'data');
  mkdirSync(dataDir, { recursive: true });
  const open = () => openDatabase({ databaseUrl: null, dataDir, poolSize: 1 });
  let database = await open();
  await migrateDatabase(database, null);
  for (const action of ['login.succeeded', 'user.role-changed', 'api-key.created']) {
    await database.transaction((tx) => appendAudit(tx, { action, actor: 'system', subjectType: 'user', subjectId: 'u1', data: { n: 1 } }));
  }
  await database.close();

  const intact = await cli(['audit:verify'], dataDir);
  expect(intact.output).toMatch(/audit log intact: 3 entries/);
  expect(intact.code).toBe(0);

  database = await open();
  await database.db.update(auditLog).set({ action: 'login.failed' }).where(eq(auditLog.seq, 2));
  await database.close();
  const edited = await cli(['audit:verify'], dataDir);
  expect(edited.output).toMatch(/BROKEN at entry #2/);
  expect(edited.code).toBe(1);
}, 60_000);
