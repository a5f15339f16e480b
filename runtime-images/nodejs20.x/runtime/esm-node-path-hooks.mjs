/**
 * @module esm-node-path-hooks
 * Module resolve hooks (run on Node's loader thread) for esm-node-path.mjs: a bare specifier
 * Node could not resolve is resolved again as if imported from beside each NODE_PATH
 * `node_modules` folder, whose parent's `node_modules` is then the first place Node looks.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Not relative, not absolute, not a URL (`node:`, `file:`, `data:`): a package name. */
const BARE = /^(?![./])(?![a-zA-Z][a-zA-Z0-9+.-]*:)/;

let parents = [];

export function initialize({ dirs }) {
  parents = dirs.map((dir) => pathToFileURL(path.join(dir, '..', '.node-path.mjs')).href);
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !BARE.test(specifier)) throw error;
    for (const parentURL of parents) {
      try {
        return await nextResolve(specifier, { ...context, parentURL });
      } catch (retry) {
        if (retry?.code !== 'ERR_MODULE_NOT_FOUND') throw retry;
      }
    }
    throw error;
  }
}
