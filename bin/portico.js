#!/usr/bin/env node
// The published command runs the TypeScript sources directly, so a fresh clone needs no build
// step: tsx resolves them, transpileTypeScript.js turns them into JavaScript.
import { register as registerLoader } from 'node:module';
import { register } from 'tsx/esm/api';

register();
registerLoader('./transpileTypeScript.js', import.meta.url);
await import('../cli/main.ts');
