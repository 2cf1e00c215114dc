import type { Config } from '../config.js';
import type { Database, Db } from './db/database.js';
import type { EventDefinition } from './events/envelope.js';
import type { ConsumerDefinition } from './events/consumers.js';
import type { PersonalEventFields } from './events/redact.js';
import type { Authorizer, HttpServer } from './http/server.js';
import type { Mailer } from './mail/mailer.js';
import type { Logger } from './observability/logger.js';
import type { Seeder } from './seed.js';

export interface ModuleContext {
  database: Database;
  logger: Logger;
  config: Config;
  /** The app's one mailer (SMTP through its queue, or the dev mailbox); call it from consumers. */
  mailer: Mailer;
  /** Every event type the app's modules publish (for consumers of all events, e.g. outbound webhooks). */
  events: readonly EventDefinition[];
  /** Every module's part of a customer's personal data, for the module that serves the export (identity). */
  personalData: readonly PersonalDataPart[];
}

/**
 * A module's part of what the shop holds about one customer (GDPR art. 15 and 20). Each
 * module reads only its own tables; the export gathers the parts under their keys. Erasure
 * is not part of this contract: modules anonymise their data in a consumer of the erasure
 * event, through their own inbox, and there blank the personal fields of their own stored
 * events (`personalEventFields` / `redactStoredEvents` in events/redact.ts).
 */
export interface PersonalDataPart {
  /** The part's key in the export (`orders`, `carts`, …); unique across modules. */
  key: string;
  export(db: Db, customerId: string): Promise<unknown>;
  /** Which fields of this module's events are personal, for modules that keep copies of any event (outbound webhooks). */
  events?: readonly PersonalEventFields[];
}

/**
 * What a module builds per app instance, for parts that hold state (keys, a mailer, a rate
 * limiter): built once by `setup`, released by `close`. No global singletons.
 */
export interface ModuleRuntime {
  /** Decides who may call each route (one module at most: identity). */
  authorizer?: Authorizer;
  /** Consumers that need the runtime's state, added to the module's static ones. */
  consumers?: readonly ConsumerDefinition[];
  routes?: (http: HttpServer) => void | Promise<void>;
  /** Background work of its own (pollers, workers): started with the relay and consumers (roles all and worker), stopped by `close`. */
  startBackground?: () => void | Promise<void>;
  close?: () => Promise<void>;
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
  /** What this module holds about a customer, for their data export. */
  personalData?: PersonalDataPart;
  /** Builds the per-app runtime before routes are registered. */
  setup?: (ctx: ModuleContext) => Promise<ModuleRuntime>;
}
