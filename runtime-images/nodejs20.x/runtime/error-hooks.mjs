/**
 * @module error-hooks
 * Process-level failure handling. An uncaught exception or an unhandled rejection is reported
 * to the Runtime API, as an init error before the first invocation and as the current
 * invocation's error afterwards, and the process then exits (129 after an exception, 128 after
 * a rejection), which is what AWS's Node.js runtime does. The platform replaces the
 * environment.
 */
import { UnhandledPromiseRejection } from './errors.mjs';

export const EXIT_CODE_EXCEPTION = 129;
export const EXIT_CODE_REJECTION = 128;

/**
 * @param {import('./runtime-client.mjs').RuntimeClient} client
 * @param {(message: string, error: unknown) => void} logError
 */
export function installErrorHooks(client, logError) {
  let invocationId;

  const reportAndExit = (error, exitCode) => {
    const posting =
      invocationId === undefined
        ? client.postInitError(error)
        : client.postInvocationError(invocationId, error);
    posting
      .catch((postError) => logError('Failed to report error to the Runtime API', postError))
      .finally(() => process.exit(exitCode));
  };

  process.on('uncaughtException', (error) => {
    logError('Uncaught Exception', error);
    reportAndExit(error, EXIT_CODE_EXCEPTION);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const error = new UnhandledPromiseRejection(reason, promise);
    logError('Unhandled Promise Rejection', error);
    reportAndExit(error, EXIT_CODE_REJECTION);
  });

  return {
    /** From now on failures belong to this invocation. */
    setInvocation(id) {
      invocationId = id;
    },
    /** Reports an error raised while loading the handler, then exits. */
    failInit(error) {
      logError('Uncaught Exception', error);
      reportAndExit(error, EXIT_CODE_EXCEPTION);
    },
  };
}
