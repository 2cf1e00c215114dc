import { bigint, boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'string' });

/** Every account: customers who registered, and staff accounts an admin created. */
export const users = pgTable('identity_users', {
  id: uuid('id').primaryKey(),
  /** Lowercased; after erasure a placeholder that keeps the row but no longer identifies anyone. */
  email: text('email').notNull(),
  name: text('name').notNull(),
  /** argon2id; null once erased. */
  passwordHash: text('password_hash'),
  role: text('role').notNull(),
  status: text('status').notNull().default('active'),
  emailVerifiedAt: at('email_verified_at'),
  /** TOTP secret, encrypted with the field key (AES-256-GCM), set at enrolment start. */
  mfaSecret: text('mfa_secret'),
  mfaEnabledAt: at('mfa_enabled_at'),
  /** The last TOTP time step accepted, so a code cannot be replayed within its window. */
  mfaLastStep: bigint('mfa_last_step', { mode: 'number' }),
  createdAt: at('created_at').notNull().defaultNow(),
  updatedAt: at('updated_at').notNull().defaultNow(),
  erasedAt: at('erased_at'),
}, (t) => [uniqueIndex('identity_users_email').on(t.email), index('identity_users_role').on(t.role, t.id)]);

/** Single-use e-mailed links (verification, password reset), stored hashed. */
export const oneTimeTokens = pgTable('identity_one_time_tokens', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  purpose: text('purpose').notNull(),
  tokenHash: text('token_hash').notNull(),
  expiresAt: at('expires_at').notNull(),
  usedAt: at('used_at'),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [uniqueIndex('identity_one_time_tokens_hash').on(t.tokenHash), index('identity_one_time_tokens_user').on(t.userId, t.purpose)]);

/**
 * Refresh tokens, stored hashed. Each refresh replaces the token with a new one in the same
 * family; presenting a replaced token again revokes the whole family (theft detection).
 */
export const sessions = pgTable('identity_sessions', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  familyId: uuid('family_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  /** The session passed a second factor; carried into every access token it issues. */
  mfa: boolean('mfa').notNull().default(false),
  /** A cookie session must present the CSRF token on refresh and logout. */
  csrfHash: text('csrf_hash'),
  userAgent: text('user_agent'),
  createdAt: at('created_at').notNull().defaultNow(),
  expiresAt: at('expires_at').notNull(),
  replacedAt: at('replaced_at'),
  revokedAt: at('revoked_at'),
}, (t) => [uniqueIndex('identity_sessions_token').on(t.tokenHash), index('identity_sessions_family').on(t.familyId), index('identity_sessions_user').on(t.userId)]);

export const recoveryCodes = pgTable('identity_recovery_codes', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  codeHash: text('code_hash').notNull(),
  usedAt: at('used_at'),
}, (t) => [index('identity_recovery_codes_user').on(t.userId)]);

export const addresses = pgTable('identity_addresses', {
  id: uuid('id').primaryKey(),
  userId: uuid('user_id').notNull().references(() => users.id),
  label: text('label'),
  name: text('name').notNull(),
  line1: text('line1').notNull(),
  line2: text('line2'),
  city: text('city').notNull(),
  postalCode: text('postal_code').notNull(),
  region: text('region'),
  /** ISO 3166-1 alpha-2. */
  country: text('country').notNull(),
  phone: text('phone'),
  createdAt: at('created_at').notNull().defaultNow(),
}, (t) => [index('identity_addresses_user').on(t.userId, t.id)]);

/** Integration keys: shown once, stored hashed, limited to the permissions they were given. */
export const apiKeys = pgTable('identity_api_keys', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  /** The key's first characters, shown in lists so a key can be recognised without revealing it. */
  prefix: text('prefix').notNull(),
  secretHash: text('secret_hash').notNull(),
  permissions: jsonb('permissions').$type<string[]>().notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
  lastUsedAt: at('last_used_at'),
  revokedAt: at('revoked_at'),
}, (t) => [uniqueIndex('identity_api_keys_secret').on(t.secretHash)]);
