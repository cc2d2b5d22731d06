// How `portico` loads its TypeScript (and an operator's, such as a `.ts` policy module), with no
// build step: tsx resolves `./x.js` to `./x.ts`, transpileTypeScript.js turns the source into
// JavaScript. `node --import ./bin/registerLoaders.js` loads code the same way.
import { register as registerLoader } from 'node:module';
import { register } from 'tsx/esm/api';

register();
registerLoader('./transpileTypeScript.js', import.meta.url);
