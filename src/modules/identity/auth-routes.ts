import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { problem } from '../../platform/http/problem.js';
import { getUser, registerCustomer, userView } from './accounts.js';
import { limitByIp } from './brute-force.js';
import { requestPasswordReset, requestVerificationMail, resetPassword, verifyEmail } from './email-flows.js';
import { CSRF_HEADER, REFRESH_COOKIE, clearSessionCookies, clientIp, readCookies, setSessionCookies, userAgent } from './http.js';
import { login } from './login.js';
import type { Identity } from './runtime.js';
import { Accepted, Email, LoginAnswer, Name, NewPassword, OpaqueToken, Password, SessionMode, SessionView, UserView } from './schemas.js';
import { endSession, revokeAllSessions, rotateSession, type IssuedSession, type SessionMode as Mode } from './sessions.js';
import { changePassword } from './password-change.js';
import { appendAudit } from '../../platform/security/audit.js';

const tags = ['identity'];
/** Browsers send no body (the token is in the cookie); API clients send it here. */
const RefreshBody = Type.Object({ refreshToken: Type.Optional(OpaqueToken) }, { additionalProperties: false });
const bodyOptional = async (request: FastifyRequest) => {
  if (request.body === undefined || request.body === null) request.body = {};
};

/** Answers with a session: a bearer session returns the refresh token, a cookie session sets it. */
export function sendSession(identity: Identity, reply: FastifyReply, session: IssuedSession, mode: Mode, extra: Record<string, unknown> = {}) {
  if (mode === 'cookie') {
    setSessionCookies(reply, identity.config, session.refreshToken, session.csrfToken ?? '');
    return { accessToken: session.accessToken, tokenType: 'Bearer' as const, expiresIn: session.expiresIn, csrfToken: session.csrfToken ?? '', ...extra };
  }
  return { accessToken: session.accessToken, tokenType: 'Bearer' as const, expiresIn: session.expiresIn, refreshToken: session.refreshToken, ...extra };
}

/** The refresh token from the body (API clients) or the cookie (browsers, which must also send the CSRF header). */
function presentedRefreshToken(request: FastifyRequest, body: { refreshToken?: string } | undefined): { token: string; csrf: string | null } {
  const csrfHeader = request.headers[CSRF_HEADER];
  const csrf = typeof csrfHeader === 'string' ? csrfHeader : null;
  if (body?.refreshToken) return { token: body.refreshToken, csrf };
  const fromCookie = readCookies(request)[REFRESH_COOKIE];
  if (fromCookie) return { token: fromCookie, csrf };
  throw problem(401, 'invalid-refresh-token', 'Send the refresh token in the body or the session cookie');
}

export function authRoutes(http: HttpServer, identity: Identity): void {
  http.post('/auth/register', {
    config: { permission: 'public' },
    schema: { tags, summary: 'Register a customer account', body: Type.Object({ email: Email, password: NewPassword, name: Name }, { additionalProperties: false }), response: { 201: UserView } },
  }, async (request, reply) => {
    await limitByIp(identity, 'register', clientIp(request));
    return reply.status(201).send(await registerCustomer(identity, request.body));
  });

  http.post('/auth/verify-email', {
    config: { permission: 'public' },
    schema: { tags, summary: 'Confirm an e-mail address with the token from the e-mailed link', body: Type.Object({ token: OpaqueToken }, { additionalProperties: false }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await limitByIp(identity, 'verify', clientIp(request));
    await verifyEmail(identity, request.body.token);
    return reply.status(204).send(null);
  });

  http.post('/auth/verify-email/resend', {
    config: { permission: 'account:self' },
    schema: { tags, summary: 'Send the verification e-mail again', response: { 202: Accepted } },
  }, async (request, reply) => {
    await limitByIp(identity, 'verify', clientIp(request));
    await requestVerificationMail(identity, request.actor!.id);
    return reply.status(202).send({ message: 'If the address is not verified yet, a new link is on its way' });
  });

  http.post('/auth/login', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Sign in; answers with a session, or with an MFA challenge for POST /auth/mfa/verify',
      body: Type.Object({ email: Email, password: Password, session: Type.Optional(SessionMode) }, { additionalProperties: false }),
      response: { 200: LoginAnswer },
    },
  }, async (request, reply) => {
    await limitByIp(identity, 'login', clientIp(request));
    const mode = request.body.session ?? 'bearer';
    const result = await login(identity, { email: request.body.email, password: request.body.password, mode, userAgent: userAgent(request) });
    if (result.kind === 'mfa-challenge') return { mfaRequired: true as const, challengeToken: result.challengeToken, expiresIn: result.expiresIn };
    return sendSession(identity, reply, result.session, mode, { user: result.user });
  });

  http.post('/auth/refresh', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Exchange a refresh token for a new access token and a new refresh token (the old one stops working)',
      body: RefreshBody, response: { 200: SessionView },
    },
    preValidation: bodyOptional,
  }, async (request, reply) => {
    const { token, csrf } = presentedRefreshToken(request, request.body);
    const rotated = await rotateSession(identity, token, csrf);
    return sendSession(identity, reply, rotated, rotated.mode);
  });

  http.post('/auth/logout', {
    config: { permission: 'public' },
    schema: { tags, summary: 'End this session (its refresh-token family)', body: RefreshBody, response: { 204: Type.Null() } },
    preValidation: bodyOptional,
  }, async (request, reply) => {
    const { token, csrf } = presentedRefreshToken(request, request.body);
    await endSession(identity, token, csrf);
    clearSessionCookies(reply, identity.config);
    return reply.status(204).send(null);
  });

  http.post('/auth/logout-everywhere', {
    config: { permission: 'account:self' },
    schema: { tags, summary: 'End every session of this account on every device', response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const userId = request.actor!.id;
    await identity.database.transaction(async (tx) => {
      await revokeAllSessions(tx, userId);
      await appendAudit(tx, { action: 'session.logout-everywhere', actor: userId, subjectType: 'user', subjectId: userId });
    });
    clearSessionCookies(reply, identity.config);
    return reply.status(204).send(null);
  });

  http.post('/auth/forgot-password', {
    config: { permission: 'public' },
    schema: { tags, summary: 'E-mail a password-reset link (same answer whether or not the account exists)', body: Type.Object({ email: Email }, { additionalProperties: false }), response: { 202: Accepted } },
  }, async (request, reply) => {
    await limitByIp(identity, 'reset', clientIp(request));
    await requestPasswordReset(identity, request.body.email);
    return reply.status(202).send({ message: 'If an account exists for this address, a reset link is on its way' });
  });

  http.post('/auth/reset-password', {
    config: { permission: 'public' },
    schema: { tags, summary: 'Set a new password with the e-mailed token; ends every session', body: Type.Object({ token: OpaqueToken, password: NewPassword }, { additionalProperties: false }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await limitByIp(identity, 'reset', clientIp(request));
    await resetPassword(identity, request.body.token, request.body.password);
    return reply.status(204).send(null);
  });

  http.get('/auth/me', {
    config: { permission: 'account:self' },
    schema: { tags, summary: 'The signed-in account', response: { 200: Type.Object({ ...UserView.properties, permissions: Type.Array(Type.String()), mfaSession: Type.Boolean() }) } },
  }, async (request) => {
    const actor = request.actor!;
    const user = userView(await getUser(identity.database.db, actor.id));
    return { ...user, permissions: [...actor.permissions].sort(), mfaSession: actor.mfa };
  });

  http.post('/auth/change-password', {
    config: { permission: 'account:self' },
    schema: { tags, summary: 'Change the password (needs the current one); ends every session, this one included', body: Type.Object({ currentPassword: Password, newPassword: NewPassword }, { additionalProperties: false }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await changePassword(identity, request.actor!.id, request.body.currentPassword, request.body.newPassword);
    return reply.status(204).send(null);
  });
}
