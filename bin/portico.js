#!/usr/bin/env node
// The published command runs the TypeScript sources directly, so a fresh clone needs no build
// step (see registerLoaders.js).
import './registerLoaders.js';

await import('../cli/main.ts');
