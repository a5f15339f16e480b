/**
 * @module index
 * Entry point of lambdock's Node.js runtime: a dependency-free client of the Lambda Runtime
 * API. Reads `_HANDLER` (or the first argument, for images that pass it as CMD) and
 * `LAMBDA_TASK_ROOT`, loads the handler, reports a load failure to `/runtime/init/error`, and
 * otherwise serves invocations until the container is stopped.
 */
import { beforeExit } from './before-exit.mjs';
import { installErrorHooks } from './error-hooks.mjs';
import { handlerMetadata, installAwsLambdaGlobal, loadHandler } from './handler-loader.mjs';
import { patchConsole } from './log-patch.mjs';
import { countOutput } from './output-bytes.mjs';
import { HttpResponseStream } from './response-stream.mjs';
import { RuntimeClient } from './runtime-client.mjs';
import { Runtime } from './runtime.mjs';
import { installTraceEnv } from './trace-env.mjs';

async function main() {
  installTraceEnv();
  const output = countOutput();
  const logError = patchConsole();
  const client = new RuntimeClient(process.env.AWS_LAMBDA_RUNTIME_API);
  const errorHooks = installErrorHooks(client, logError);
  beforeExit.install();
  installAwsLambdaGlobal(HttpResponseStream);

  const appRoot = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const handlerName = process.env._HANDLER || process.argv[2] || '';
  let handler;
  let metadata;
  try {
    handler = await loadHandler(appRoot, handlerName);
    metadata = handlerMetadata(handler);
  } catch (error) {
    errorHooks.failInit(error);
    return;
  }
  new Runtime({ client, handler, metadata, errorHooks, logError, output }).scheduleIteration();
}

await main();
