#!/usr/bin/env node
// The published command runs the compiled JavaScript in dist/ (`npm run build`; `npm install`
// and `npm start` build it), never TypeScript: no loader in production.
try {
  await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  process.stderr.write('portico: not built yet (no dist/cli/main.js); run `npm run build` first.\n');
  process.exitCode = 1;
}
