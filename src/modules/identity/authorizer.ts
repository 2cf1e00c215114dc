import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/http/actor.js';
import type { Authorizer } from '../../platform/http/server.js';
import { problem } from '../../platform/http/problem.js';
import { TokenError } from '../../platform/security/tokens.js';
import { API_KEY_PREFIX, authenticateApiKey } from './api-keys.js';
import { ROLE_PERMISSIONS, WITHOUT_MFA, isPermission, isRole, type Permission } from './permissions.js';
import type { Identity } from './runtime.js';
import { users } from './schema.js';
import { ACCESS, sessionIsLive } from './sessions.js';

const unauthorized = (detail: string) => problem(401, 'unauthorized', detail);

function credential(request: FastifyRequest): { kind: 'bearer' | 'api-key'; value: string } | null {
  const apiKey = request.headers['x-api-key'];
  if (typeof apiKey === 'string' && apiKey) return { kind: 'api-key', value: apiKey };
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized('The Authorization header must be "Bearer <token>"');
  return match[1].startsWith(API_KEY_PREFIX) ? { kind: 'api-key', value: match[1] } : { kind: 'bearer', value: match[1] };
}

/**
 * Who is calling: the current role and status are read from the database on every request,
 * so a role change, an erasure or a logout takes effect at once, not when the token expires.
 */
export async function identifyCaller(identity: Identity, request: FastifyRequest): Promise<Actor | null> {
  const given = credential(request);
  if (!given) return null;
  if (given.kind === 'api-key') {
    const key = await authenticateApiKey(identity, given.value);
    if (!key) throw unauthorized('The API key is not valid or has been revoked');
    return { id: key.id, kind: 'api-key', role: null, permissions: new Set(key.permissions.filter(isPermission)), mfa: true };
  }
  let claims;
  try {
    claims = await identity.signer.verify(given.value, ACCESS);
  } catch (error) {
    if (error instanceof TokenError && error.reason === 'expired') throw problem(401, 'token-expired', 'The access token has expired; refresh it');
    throw problem(401, 'invalid-token', 'The access token is not valid');
  }
  const db = identity.database.db;
  const [user] = await db.select({ id: users.id, role: users.role, status: users.status }).from(users).where(eq(users.id, claims.sub));
  const familyId = typeof claims.sid === 'string' ? claims.sid : '';
  if (!user || user.status !== 'active' || !isRole(user.role) || !(await sessionIsLive(db, familyId))) {
    throw unauthorized('This session has ended; sign in again');
  }
  return { id: user.id, kind: 'user', role: user.role, permissions: ROLE_PERMISSIONS[user.role], mfa: claims.mfa === true };
}

export function identityAuthorizer(identity: Identity): Authorizer {
  return async (request, permission) => {
    const actor = await identifyCaller(identity, request);
    if (!actor) throw unauthorized('This route needs an authenticated caller');
    if (!actor.permissions.has(permission)) {
      throw problem(403, 'forbidden', `This needs the permission ${permission}, which your ${actor.kind === 'api-key' ? 'API key' : 'role'} does not have`, { permission });
    }
    if (actor.role === 'admin' && !actor.mfa && !WITHOUT_MFA.has(permission as Permission)) {
      throw problem(403, 'mfa-required', 'Admins must sign in with two-factor authentication to use this: enrol at POST /auth/mfa/enroll, then sign in again', { permission });
    }
    request.actor = actor;
  };
}
