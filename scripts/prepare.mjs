/* global console, process */
// `npm install` builds dist/, except where dev dependencies are left out: App Engine's buildpack
// reinstalls production dependencies only after `gcp-build` has built dist/ already.
import { execSync } from 'node:child_process';
import { createRequire } from 'node:module';

try {
  createRequire(import.meta.url).resolve('typescript');
} catch {
  console.log('prepare: no TypeScript (production install); dist/ is built by gcp-build');
  process.exit(0);
}
execSync('npm run build', { stdio: 'inherit' });
