/**
 * @module
 * What sync and async jobs share: resolve the job's qualifier to the record that runs
 * (`$LATEST`, a published version, or an alias picked when the attempt runs), run the event
 * through the invoker, count it, and store its log. A job ends either with a result (success
 * or function error, both "ran") or rejected, when the platform could not run it at all; both
 * say which version that was. An async attempt of a version with provisioned concurrency may
 * run on another worker's idle provisioned environment instead (AsyncPlacement): that worker
 * counts it and stores its log.
 */
import {
  ERRORS,
  resolveQualifier,
  type FunctionRecord,
  type InvokeJobData,
  type LogStore,
  type Logger,
  type ProvisionedClaim,
  type QualifierLookups,
  UNNAMED_LOG_STREAM,
} from '@lambdock/core';
import type { ErrorBucket, WorkerMetrics } from '../metrics.js';
import {
  InvokeSystemError,
  type InvokeRequest,
  type InvokeResult,
  type Invoker,
} from '../invoke/invoker.js';
import type { AsyncRoute } from '../provisioned/async-route.js';

export interface Rejection {
  readonly code: string;
  readonly message: string;
  /** Trying the same job later may work (engine down, function still Pending, shutdown). */
  readonly retryable: boolean;
}

/** `executedVersion`: `$LATEST` or the version number (X-Amz-Executed-Version). */
export type Execution =
  | { readonly kind: 'ran'; readonly result: InvokeResult; readonly executedVersion: string }
  | { readonly kind: 'rejected'; readonly rejection: Rejection; readonly executedVersion: string };

/** Where an async attempt runs (provisioned/async-route.ts, provisioned/remote-attempt.ts). */
export interface AsyncPlacement {
  route(record: FunctionRecord, version: string): Promise<AsyncRoute>;
  /** Run it on the environment claimed on another worker; settles as a local run would. */
  runRemote(
    claim: ProvisionedClaim,
    data: InvokeJobData,
    record: FunctionRecord,
    version: string,
  ): Promise<Execution>;
}

export interface ExecuteDeps {
  registry: { get(name: string): Promise<FunctionRecord | undefined> };
  /** Published versions and aliases (core's VersionRegistry is one). */
  versions: QualifierLookups;
  invoker: Invoker;
  logStore: Pick<LogStore, 'append'>;
  metrics: WorkerMetrics;
  logger: Logger;
  /** Keeps background work (log writes) visible to shutdown. */
  track(work: Promise<unknown>): void;
  /** Async attempts only. @defaultValue none: every attempt runs on this worker. */
  placement?: AsyncPlacement;
}

/** The version an invocation without a qualifier runs. */
export const EXECUTED_VERSION = '$LATEST';

function stateRejection(record: FunctionRecord): Rejection | undefined {
  if (record.state === 'Active') return undefined;
  return {
    code: ERRORS.FUNCTION_CONFLICT.code,
    message: `The operation cannot be performed at this time. The function is currently in the following state: ${record.state}`,
    retryable: record.state === 'Pending',
  };
}

/** Invoke names the qualified ARN, `:$LATEST` included, as AWS does (aws-oracle 0_surprises). */
function notFound(data: InvokeJobData): Rejection {
  const qualified = data.invokedArn.split(':').length >= 8;
  const arn = qualified ? data.invokedArn : `${data.invokedArn}:${data.qualifier || '$LATEST'}`;
  const message = `Function not found: ${arn}`;
  return { code: ERRORS.FUNCTION_NOT_FOUND.code, message, retryable: false };
}

function systemRejection(err: InvokeSystemError): Rejection {
  if (err.failure === 'aborted' && err.retryable) {
    return { code: ERRORS.SERVICE_UNAVAILABLE.code, message: err.message, retryable: true };
  }
  return { code: ERRORS.INTERNAL.code, message: err.message, retryable: err.retryable };
}

function count(deps: ExecuteDeps, record: FunctionRecord, result: InvokeResult): void {
  const { metrics } = deps;
  metrics.invocations.inc({ function: record.name, outcome: result.outcome });
  metrics.invokeDuration.observe(
    { start: result.coldStart ? 'cold' : 'warm' },
    result.durationMs / 1000,
  );
  if (result.coldStart) metrics.coldStarts.inc({ function: record.name });
  if (result.initDurationMs !== undefined)
    metrics.initDuration.observe(result.initDurationMs / 1000);
  if (result.errorKind !== undefined)
    metrics.functionErrors.inc({ error: result.errorKind satisfies ErrorBucket });
}

export async function execute(
  deps: ExecuteDeps,
  data: InvokeJobData,
  priority: 'sync' | 'async',
  giveUpAt?: number,
  onChunk?: InvokeRequest['onChunk'],
): Promise<Execution> {
  const name = data.functionName;
  const resolved = await resolveQualifier(
    deps.versions,
    () => deps.registry.get(name),
    name,
    data.qualifier || EXECUTED_VERSION,
  );
  const refused = resolved ? stateRejection(resolved.record) : notFound(data);
  if (!resolved || refused) {
    deps.metrics.invocations.inc({ function: name, outcome: 'rejected' });
    const executedVersion = resolved?.executedVersion ?? (data.qualifier || EXECUTED_VERSION);
    return { kind: 'rejected', rejection: refused ?? notFound(data), executedVersion };
  }
  const { record, executedVersion } = resolved;
  let environmentId = data.provisionedEnvId;
  if (priority === 'async' && deps.placement !== undefined) {
    const route = await deps.placement.route(record, executedVersion);
    if (route.kind === 'remote')
      return deps.placement.runRemote(route.claim, data, record, executedVersion);
    environmentId = route.environmentId ?? environmentId;
  }
  try {
    const result = await deps.invoker.invoke({
      requestId: data.requestId,
      record,
      version: executedVersion,
      // An empty event would break runtimes (RIC 3 throws, RIC 4 never answers): Lambda sends {}.
      payload: Buffer.from(data.payload === '' ? '{}' : data.payload, 'utf8'),
      invokedFunctionArn: data.invokedArn,
      priority,
      ...(data.traceId === undefined ? {} : { traceId: data.traceId }),
      ...(data.clientContext === undefined ? {} : { clientContext: data.clientContext }),
      ...(data.cognitoIdentity === undefined ? {} : { cognitoIdentity: data.cognitoIdentity }),
      ...(giveUpAt === undefined ? {} : { giveUpAt }),
      ...(onChunk === undefined ? {} : { onChunk }),
      ...(environmentId === undefined ? {} : { environmentId }),
    });
    count(deps, record, result);
    deps.track(
      result.log
        .then((text) =>
          deps.logStore.append({
            functionName: record.name,
            requestId: data.requestId,
            text,
            logStream: result.logStream ?? UNNAMED_LOG_STREAM,
          }),
        )
        .catch((err: unknown) =>
          deps.logger.warn({ err, requestId: data.requestId }, 'log append failed'),
        ),
    );
    return { kind: 'ran', result, executedVersion };
  } catch (err) {
    if (!(err instanceof InvokeSystemError)) throw err;
    deps.metrics.invocations.inc({ function: record.name, outcome: 'rejected' });
    deps.logger.warn(
      { err, requestId: data.requestId, functionName: record.name },
      'invocation not run',
    );
    return { kind: 'rejected', rejection: systemRejection(err), executedVersion };
  }
}
