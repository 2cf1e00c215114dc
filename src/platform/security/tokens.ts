import { createHash, createPublicKey, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SignJWT, errors, exportPKCS8, generateKeyPair, importPKCS8, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';

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

/** Signs and verifies short-lived JWTs with one Ed25519 key pair. */
export class TokenSigner {
  private constructor(private readonly privateKey: CryptoKey, private readonly publicKey: KeyObject, private readonly issuer: string) {}

  static async fromPkcs8(pem: string, issuer = 'cloudmart'): Promise<TokenSigner> {
    const privateKey = await importPKCS8(pem, ALGORITHM, { extractable: true });
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
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setIssuedAt()
      .setJti(randomBytes(12).toString('base64url'))
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.privateKey);
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
