#!/usr/bin/env node
// The `cloudmart` command without a build step: tsx compiles the TypeScript sources on load.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
