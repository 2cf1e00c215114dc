import type { ModuleDefinition } from '../../platform/module.js';
import { bootstrapAdmin } from './accounts.js';
import { adminRoutes } from './admin-routes.js';
import { authRoutes } from './auth-routes.js';
import { identityAuthorizer } from './authorizer.js';
import { emailConsumers } from './email-flows.js';
import { identityEvents } from './events.js';
import { mfaRoutes } from './mfa-routes.js';
import { accountRoutes } from './account-routes.js';
import { closeIdentity, createIdentity } from './runtime.js';
import { identitySeeder } from './seed.js';

/** Accounts, sessions, roles and permissions, MFA, e-mail flows, API keys and privacy rights. */
export const identityModule: ModuleDefinition = {
  name: 'identity',
  events: identityEvents,
  seeders: [identitySeeder],
  async setup({ database, config, logger, mailer, personalData }) {
    const identity = await createIdentity(database, config, logger, mailer, personalData);
    try {
      if (config.adminEmail && config.adminPassword) {
        const admin = await bootstrapAdmin(database, config.adminEmail, config.adminPassword);
        if (admin) logger.info({ email: admin.email }, 'first admin created from ADMIN_EMAIL');
      }
    } catch (error) {
      await closeIdentity(identity);
      throw error;
    }
    return {
      authorizer: identityAuthorizer(identity),
      consumers: emailConsumers(identity),
      routes(http) {
        authRoutes(http, identity);
        mfaRoutes(http, identity);
        accountRoutes(http, identity);
        adminRoutes(http, identity);
      },
      close: () => closeIdentity(identity),
    };
  },
};

export { ROLES, PERMISSIONS, ROLE_PERMISSIONS, type Permission, type Role } from './permissions.js';
