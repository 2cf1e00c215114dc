import type { HttpServer } from '../../platform/http/server.js';
import type { Identity } from './runtime.js';

export function accountRoutes(_http: HttpServer, _identity: Identity): void {}
