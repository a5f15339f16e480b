/**
 * @module esm-node-path
 * ES modules find packages in NODE_PATH's `node_modules` folders, as on AWS's Node.js 18 and
 * later runtimes, so an `import` in an `.mjs` handler reaches a layer's `nodejs/node_modules`.
 * Node's own ES module resolution ignores NODE_PATH: a resolve hook retries a bare specifier
 * that was not found from each such folder, in NODE_PATH's order. The hook (a loader thread)
 * is registered only when one of those folders exists, so functions without layers start as
 * before.
 */
import fs from 'node:fs';
import { register } from 'node:module';

export function installEsmNodePath(nodePath = process.env.NODE_PATH ?? '') {
  const dirs = nodePath
    .split(':')
    .filter((dir) => dir.endsWith('/node_modules') && fs.existsSync(dir));
  if (dirs.length === 0) return;
  register('./esm-node-path-hooks.mjs', import.meta.url, { data: { dirs } });
}
