import { createHash, createPrivateKey, createPublicKey, randomBytes, sign as signBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { errors, exportPKCS8, generateKeyPair, jwtVerify, type JWTPayload } from 'jose';

/** EdDSA (Ed25519): small, fast signatures, and only the one algorithm is ever accepted on verify. */
const ALGORITHM = 'EdDSA';

export interface AccessClaims extends JWTPayload {
  sub: string;
  /** What the token is for: an access token, or an MFA challenge that only `/auth/mfa/verify` accepts. */
  typ: string;
}

export class TokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'The token has expired' : 'The token is not valid');
    this.name = 'TokenError';
  }
}

/** The protected header of every token we sign (RFC 7515 compact serialisation). */
const HEADER = Buffer.from(JSON.stringify({ alg: ALGORITHM, typ: 'JWT' })).toString('base64url');

/**
 * Signs and verifies short-lived JWTs with one Ed25519 key pair. Signing is node:crypto's
 * one-shot Ed25519 (RFC 8037), synchronous and about 40 µs: jose signs through WebCrypto,
 * whose jobs queue in the libuv pool behind the argon2 work of concurrent logins, and a
 * login waited there inside its transaction. Verifying stays with jose (algorithm pinned).
 */
export class TokenSigner {
  private constructor(private readonly privateKey: KeyObject, private readonly publicKey: KeyObject, private readonly issuer: string) {}

  static async fromPkcs8(pem: string, issuer = 'cloudmart'): Promise<TokenSigner> {
    const privateKey = createPrivateKey(pem);
    // The public half is derived from the private key, so config holds one secret only.
    const publicKey = createPublicKey(pem);
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('The signing key must be an Ed25519 private key (PKCS#8 PEM)');
    return new TokenSigner(privateKey, publicKey, issuer);
  }

  /** A new Ed25519 key pair, as PKCS#8 PEM to persist. */
  static async generatePkcs8(): Promise<string> {
    const { privateKey } = await generateKeyPair(ALGORITHM, { crv: 'Ed25519', extractable: true });
    return exportPKCS8(privateKey);
  }

  async sign(claims: AccessClaims, ttlSeconds: number): Promise<string> {
    const iat = Math.floor(Date.now() / 1000);
    const payload = { ...claims, iss: this.issuer, iat, jti: randomBytes(12).toString('base64url'), exp: iat + ttlSeconds };
    const input = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    return `${input}.${signBytes(null, Buffer.from(input), this.privateKey).toString('base64url')}`;
  }

  /** Rejects `alg: none`, any other algorithm, other keys, other issuers, other types and expired tokens. */
  async verify(token: string, typ: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { algorithms: [ALGORITHM], issuer: this.issuer, requiredClaims: ['sub', 'exp', 'iat'] });
      if (payload.typ !== typ || typeof payload.sub !== 'string') throw new TokenError('invalid');
      return payload as AccessClaims;
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new TokenError('expired');
      throw new TokenError('invalid');
    }
  }
}

/** An opaque secret for refresh tokens, one-time links and API keys: 256 random bits. */
export const newOpaqueToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/**
 * SHA-256 of an opaque token, for storage: the token has 256 bits of entropy, so a fast
 * hash is enough (a slow one is for low-entropy passwords) and lookups stay indexable.
 */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** Compares secrets without an early exit, so timing tells nothing about where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right) && a.length === b.length;
}
