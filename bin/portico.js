#!/usr/bin/env node
// The published command runs the compiled JavaScript in dist/ (`npm run build`; `npm install`
// and `npm start` build it), never TypeScript: no loader in production.
import module from 'node:module';

// Most of a start is Node compiling the dependencies' JavaScript (Apollo's packages above all):
// where Node can (22.1 and later), it keeps the compiled code on disk for the next start
// (NODE_COMPILE_CACHE names the folder; the default is in the system's temporary folder).
module.enableCompileCache?.();

try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  process.stderr.write('portico: not built yet (no dist/cli/main.js); run `npm run build` first.\n');
  process.exitCode = 1;
}
