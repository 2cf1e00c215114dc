import Type from 'typebox';

/** Request and response shapes shared by identity's routes (the OpenAPI document is built from them). */
export const Email = Type.String({ format: 'email', maxLength: 254, description: 'E-mail address' });
export const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const NewPassword = Type.String({ minLength: 1, maxLength: 1024, description: 'At least 12 characters, not a commonly used password' });
export const Name = Type.String({ minLength: 1, maxLength: 200 });
export const Uuid = Type.String({ format: 'uuid' });
export const OpaqueToken = Type.String({ minLength: 16, maxLength: 200 });

export const UserView = Type.Object({
  id: Type.String(), email: Type.String(), name: Type.String(), role: Type.String(), status: Type.String(),
  emailVerified: Type.Boolean(), mfaEnabled: Type.Boolean(), createdAt: Type.String(),
});

export const SessionMode = Type.Union([Type.Literal('bearer'), Type.Literal('cookie')], {
  description: 'bearer (default): the refresh token is in the body. cookie: it is set as an HttpOnly cookie and refresh/logout need X-CSRF-Token',
});

export const SessionView = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds the access token is valid' }),
  refreshToken: Type.Optional(Type.String({ description: 'Bearer sessions only; store it safely, it is rotated on every refresh' })),
  csrfToken: Type.Optional(Type.String({ description: 'Cookie sessions only: send it as X-CSRF-Token on refresh and logout' })),
  user: Type.Optional(UserView),
});

export const LoginAnswer = Type.Union([
  SessionView,
  Type.Object({ mfaRequired: Type.Literal(true), challengeToken: Type.String(), expiresIn: Type.Integer() }),
]);

export const Accepted = Type.Object({ message: Type.String() });
