import Type from 'typebox';
import type { HttpServer } from '../../platform/http/server.js';
import { limitByIp } from './brute-force.js';
import { clientIp, userAgent } from './http.js';
import { completeChallenge, confirmEnrolment, disableMfa, startEnrolment } from './mfa.js';
import type { Identity } from './runtime.js';
import { sendSession } from './auth-routes.js';
import { Password, SessionView, UserView } from './schemas.js';

const tags = ['identity'];
const TotpCode = Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code from the authenticator app' });
const RecoveryCode = Type.String({ minLength: 8, maxLength: 40 });

export function mfaRoutes(http: HttpServer, identity: Identity): void {
  http.post('/auth/mfa/enroll', {
    config: { permission: 'account:self' },
    schema: {
      tags, summary: 'Start TOTP enrolment: returns the secret and the otpauth:// URI to show as a QR code',
      response: { 200: Type.Object({ secret: Type.String(), otpauthUri: Type.String() }) },
    },
  }, async (request) => startEnrolment(identity, request.actor!.id));

  http.post('/auth/mfa/confirm', {
    config: { permission: 'account:self' },
    schema: {
      tags, summary: 'Finish enrolment with a current code; returns ten single-use recovery codes, shown once',
      body: Type.Object({ code: TotpCode }, { additionalProperties: false }),
      response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()), user: UserView }) },
    },
  }, async (request) => {
    await limitByIp(identity, 'mfa', clientIp(request));
    return confirmEnrolment(identity, request.actor!.id, request.body.code);
  });

  http.post('/auth/mfa/verify', {
    config: { permission: 'public' },
    schema: {
      tags, summary: 'Complete a sign-in that answered with an MFA challenge, with a TOTP code or a recovery code',
      body: Type.Object({ challengeToken: Type.String({ minLength: 1, maxLength: 2000 }), code: Type.Optional(TotpCode), recoveryCode: Type.Optional(RecoveryCode) }, { additionalProperties: false }),
      response: { 200: SessionView },
    },
  }, async (request, reply) => {
    await limitByIp(identity, 'mfa', clientIp(request));
    const { session, user, mode } = await completeChallenge(identity, { ...request.body, userAgent: userAgent(request) });
    return sendSession(identity, reply, session, mode, { user });
  });

  http.post('/auth/mfa/disable', {
    config: { permission: 'account:self' },
    schema: {
      tags, summary: 'Turn two-factor authentication off (needs the password and a current or recovery code)',
      body: Type.Object({ password: Password, code: Type.Optional(TotpCode), recoveryCode: Type.Optional(RecoveryCode) }, { additionalProperties: false }),
      response: { 200: UserView },
    },
  }, async (request) => {
    await limitByIp(identity, 'mfa', clientIp(request));
    return disableMfa(identity, request.actor!.id, request.body);
  });
}
