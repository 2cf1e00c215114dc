import type { ModuleDefinition } from '../platform/module.js';
import { catalogModule } from './catalog/index.js';
import { identityModule } from './identity/index.js';

/** Every business module, in the order their routes and consumers are registered. */
export const allModules: readonly ModuleDefinition[] = [identityModule, catalogModule];
