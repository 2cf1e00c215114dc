import { defineConfig } from 'drizzle-kit';

// One migration set for every module and the platform: `npm run db:generate` after a schema change.
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./src/platform/*/schema.ts', './src/modules/*/schema.ts'],
  out: './drizzle',
});
