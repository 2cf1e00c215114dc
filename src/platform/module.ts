import type { Database } from './db/database.js';
import type { EventDefinition } from './events/envelope.js';
import type { ConsumerDefinition } from './events/consumers.js';
import type { HttpServer } from './http/server.js';
import type { Logger } from './observability/logger.js';
import type { Seeder } from './seed.js';

export interface ModuleContext {
  database: Database;
  logger: Logger;
}

/**
 * What a business module hands the app: the events it publishes, the consumers it runs,
 * its routes and its demo data. The platform wires them; it never looks inside.
 */
export interface ModuleDefinition {
  name: string;
  events?: readonly EventDefinition[];
  consumers?: readonly ConsumerDefinition[];
  routes?: (http: HttpServer, ctx: ModuleContext) => void | Promise<void>;
  seeders?: readonly Seeder[];
}
