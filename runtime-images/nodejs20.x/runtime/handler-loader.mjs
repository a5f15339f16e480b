/**
 * @module handler-loader
 * Resolves `_HANDLER` (`index.handler`, `dir/app.handler`, `app.nested.fn`) against the code
 * root and loads the module the way AWS's Node.js runtime does: an extension-less file or a
 * `.js` file is required as CommonJS unless the nearest package.json says `"type": "module"`;
 * then `.js` (module type), `.mjs` and `.cjs` are tried in that order; last, Node's own
 * resolution from the code root. Error types and messages match AWS's.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  HandlerNotFound,
  ImportModuleError,
  MalformedHandlerName,
  MalformedStreamingHandler,
  UserCodeSyntaxError,
} from './errors.mjs';

// AWS's messages name /var/runtime/index.mjs in "Require stack"; so do ours.
const require = createRequire(new URL('./index.mjs', import.meta.url));

const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HANDLER_HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const STREAM_RESPONSE = 'response';

function splitHandler(fullHandler) {
  if (fullHandler.includes('..')) {
    throw new MalformedHandlerName(
      `'${fullHandler}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.basename(fullHandler);
  const moduleRoot = fullHandler.substring(0, fullHandler.indexOf(base));
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match) throw new MalformedHandlerName('Bad handler');
  return { moduleRoot, moduleName: match[1], handlerPath: match[2] };
}

function requireIfExists(file) {
  return fs.existsSync(file) ? require(file) : undefined;
}

async function importIfExists(file) {
  return fs.existsSync(file) ? import(pathToFileURL(file).href) : undefined;
}

function folderIsModuleType(folder) {
  if (folder.endsWith('/node_modules')) return false;
  const packageJson = path.join(folder, 'package.json');
  if (fs.existsSync(packageJson)) {
    try {
      return JSON.parse(fs.readFileSync(packageJson, 'utf8'))?.type === 'module';
    } catch (error) {
      console.warn(
        `${packageJson} cannot be read, it will be ignored for ES module detection purposes.`,
        error,
      );
      return false;
    }
  }
  return folder === '/' ? false : folderIsModuleType(path.resolve(folder, '..'));
}

async function loadModule(appRoot, moduleRoot, moduleName) {
  const base = path.resolve(appRoot, moduleRoot, moduleName);
  const extensionless = requireIfExists(base);
  if (extensionless) return extensionless;
  const jsIsModule = fs.existsSync(`${base}.js`) && folderIsModuleType(path.dirname(`${base}.js`));
  if (!jsIsModule) {
    const commonJs = requireIfExists(`${base}.js`);
    if (commonJs) return commonJs;
  }
  const loaded =
    (jsIsModule && (await importIfExists(`${base}.js`))) ||
    (await importIfExists(`${base}.mjs`)) ||
    requireIfExists(`${base}.cjs`);
  if (loaded) return loaded;
  return require(require.resolve(moduleName, { paths: [appRoot, moduleRoot] }));
}

/** Defines the `awslambda` global that streaming handlers use at module load time. */
export function installAwsLambdaGlobal(HttpResponseStream, env = process.env) {
  const off = env.AWS_LAMBDA_NODEJS_NO_GLOBAL_AWSLAMBDA;
  if (off === '1' || off === 'true') return;
  globalThis.awslambda = {
    streamifyResponse(handler, options) {
      handler[HANDLER_STREAMING] = STREAM_RESPONSE;
      if (typeof options?.highWaterMark === 'number') {
        handler[HANDLER_HIGH_WATER_MARK] = parseInt(options.highWaterMark, 10);
      }
      return handler;
    },
    HttpResponseStream,
  };
}

/** Loads and returns the handler function, or throws one of the `Runtime.*` errors. */
export async function loadHandler(appRoot, fullHandler) {
  const { moduleRoot, moduleName, handlerPath } = splitHandler(fullHandler);
  let userModule;
  try {
    userModule = await loadModule(appRoot, moduleRoot, moduleName);
  } catch (error) {
    if (error instanceof SyntaxError) throw new UserCodeSyntaxError(error);
    // ERR_MODULE_NOT_FOUND is the ES-module flavour of the same failure.
    if (error?.code === 'MODULE_NOT_FOUND' || error?.code === 'ERR_MODULE_NOT_FOUND') {
      throw new ImportModuleError(error);
    }
    throw error;
  }
  const handler = handlerPath.split('.').reduce((object, key) => object && object[key], userModule);
  if (!handler) throw new HandlerNotFound(`${fullHandler} is undefined or not exported`);
  if (typeof handler !== 'function') throw new HandlerNotFound(`${fullHandler} is not a function`);
  return handler;
}

/** Whether the handler was wrapped by `awslambda.streamifyResponse`, and its buffer size. */
export function handlerMetadata(handler) {
  const mode = handler[HANDLER_STREAMING];
  if (mode !== undefined && mode !== null && mode !== false && mode !== STREAM_RESPONSE) {
    throw new MalformedStreamingHandler('Only response streaming is supported.');
  }
  const highWaterMark = parseInt(handler[HANDLER_HIGH_WATER_MARK], 10);
  return {
    streaming: mode === STREAM_RESPONSE,
    highWaterMark: Number.isNaN(highWaterMark) ? undefined : highWaterMark,
  };
}
