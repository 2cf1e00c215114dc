import { randomBytes } from 'node:crypto';
import type { Seeder } from '../../platform/seed.js';
import { bootstrapAdmin } from './accounts.js';

export const DEMO_ADMIN_EMAIL = 'admin@cloudmart.local';

/**
 * The demo's first admin, with a fresh random password printed once: a fixed demo password
 * would be a known credential on every shop started with the defaults.
 */
export const identitySeeder: Seeder = {
  name: 'identity',
  async run({ database, logger }) {
    const password = `demo-${randomBytes(9).toString('base64url')}`;
    const admin = await bootstrapAdmin(database, DEMO_ADMIN_EMAIL, password, 'Demo Admin');
    if (!admin) return;
    logger.info({ email: DEMO_ADMIN_EMAIL }, 'demo admin created');
    console.log(`\n  Demo admin login (shown once): ${DEMO_ADMIN_EMAIL} / ${password}\n  Admins must enrol two-factor authentication (POST /auth/mfa/enroll) before using admin routes.\n`);
  },
};
