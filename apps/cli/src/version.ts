import { createRequire } from 'node:module';

// src/ and dist/ both sit next to package.json.
const manifest = createRequire(import.meta.url)('../package.json') as { version: string };

export const version: string = manifest.version;
