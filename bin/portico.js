#!/usr/bin/env node
// The published command runs the TypeScript sources directly through tsx's loader,
// so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
