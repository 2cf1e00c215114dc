import type { Config } from '../../config.js';
import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/observability/logger.js';
import type { PersonalDataPart } from '../../platform/module.js';
import { FieldCipher } from '../../platform/security/field-crypto.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { createRateLimiter, type RateLimiter } from '../../platform/security/rate-limit.js';
import { persistedSecret } from '../../platform/security/secrets.js';
import { TokenSigner } from '../../platform/security/tokens.js';

/** Everything identity holds for one app instance: keys, the mailer and the attempt counters. */
export interface Identity {
  database: Database;
  config: Config;
  logger: Logger;
  signer: TokenSigner;
  cipher: FieldCipher;
  limiter: RateLimiter;
  mailer: Mailer;
  /** Other modules' parts of a customer's data export. */
  personalData: readonly PersonalDataPart[];
}

export async function createIdentity(database: Database, config: Config, logger: Logger, mailer: Mailer, personalData: readonly PersonalDataPart[] = []): Promise<Identity> {
  const keyIsPersisted = !config.authSigningKey || !config.encryptionKey;
  if (keyIsPersisted && database.kind === 'postgres') {
    logger.warn('AUTH_SIGNING_KEY or ENCRYPTION_KEY is not set: using keys generated once and kept in the database; set both in production');
  }
  const pem = config.authSigningKey ?? (await persistedSecret(database.db, 'auth-signing-key', () => TokenSigner.generatePkcs8()));
  const fieldKey = config.encryptionKey ?? (await persistedSecret(database.db, 'field-encryption-key', () => FieldCipher.generateKey()));
  return {
    database,
    config,
    logger,
    signer: await TokenSigner.fromPkcs8(pem),
    cipher: new FieldCipher(FieldCipher.parseKey(fieldKey)),
    limiter: createRateLimiter(config.redisUrl, `cloudmart:rl:${config.natsStream}:`),
    mailer,
    personalData,
  };
}

export async function closeIdentity(identity: Identity): Promise<void> {
  await identity.limiter.close();
}
