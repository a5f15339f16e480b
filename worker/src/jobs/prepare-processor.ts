/**
 * @module
 * Lifecycle jobs: make a created or updated function Active/Successful once what it needs is
 * on this host (its image; for zips also the code and layers, extracted and so validated), or Failed
 * with an AWS reason code. A job for an outdated generation changes nothing: a newer
 * prepare job is on its way.
 *
 * A fault of this host rather than of the function (Docker not answering within
 * `checkTimeoutMs`, Redis down, a disk error) fails the attempt, and BullMQ retries it with
 * backoff. The last attempt fails the function instead (`InternalError`, the fault as its reason):
 * a function never stays Pending with no job left to settle it, and an update makes it try again.
 * A failed update of an Active function leaves it Active (applyVerdict).
 */
import { randomUUID } from 'node:crypto';
import { ERRORS, withDeadline, type FunctionRecord, type PrepareJobData } from '@lambdock/core';
import type { Job } from 'bullmq';
import { CodeMissingError, type CodeCache } from '../code/code-cache.js';
import { ZipRejectedError } from '../code/zip-extract.js';
import type { ImageResolver } from '../containers/images.js';

export interface PrepareDeps {
  registry: {
    get(name: string): Promise<FunctionRecord | undefined>;
    update(
      name: string,
      mutate: (current: FunctionRecord) => FunctionRecord,
    ): Promise<FunctionRecord>;
  };
  images: ImageResolver;
  codeCache: CodeCache;
  /** How long the look-ups of one attempt may take before it counts as failed. */
  checkTimeoutMs: number;
}

export type PrepareVerdict = { ok: true } | { ok: false; reason: string; reasonCode: string };

/** The reason code of a host fault: the host failed the check, not the function. */
const HOST_FAULT = 'InternalError';

export type PrepareResult = 'active' | 'failed' | 'superseded';

export async function checkFunction(
  record: FunctionRecord,
  deps: PrepareDeps,
): Promise<PrepareVerdict> {
  const ref = deps.images.refFor(record);
  if (!(await deps.images.find(ref))) {
    return record.packageType === 'Image'
      ? { ok: false, reason: `Image not found: ${ref}`, reasonCode: 'InvalidImage' }
      : { ok: false, reason: `Runtime image not found: ${ref}`, reasonCode: 'InvalidRuntime' };
  }
  if (record.packageType !== 'Zip') return { ok: true };
  try {
    if (!record.codeKey) throw new CodeMissingError('no code stored for the function');
    await deps.codeCache.ensure(record.codeKey);
    const layers = record.layers ?? [];
    if (layers.length > 0) await deps.codeCache.ensureLayers(layers.map((l) => l.codeKey));
    return { ok: true };
  } catch (err) {
    if (err instanceof ZipRejectedError || err instanceof CodeMissingError) {
      return {
        ok: false,
        reason: `Invalid deployment package: ${err.message}`,
        reasonCode: 'InvalidZipFileException',
      };
    }
    throw err;
  }
}

/**
 * The record after preparation; the reason fields go when the function is healthy. A host fault
 * fails an update of an Active function without taking the function down: it stays Active with
 * LastUpdateStatus Failed, as Lambda reports a failed update, and a new update retries it.
 */
export function applyVerdict(current: FunctionRecord, verdict: PrepareVerdict): FunctionRecord {
  const rest = { ...current };
  delete rest.stateReason;
  delete rest.stateReasonCode;
  delete rest.lastUpdateStatusReason;
  delete rest.lastUpdateStatusReasonCode;
  if (verdict.ok) {
    return { ...rest, state: 'Active', lastUpdateStatus: 'Successful', revisionId: randomUUID() };
  }
  if (verdict.reasonCode === HOST_FAULT && current.state === 'Active') {
    return {
      ...rest,
      lastUpdateStatus: 'Failed',
      lastUpdateStatusReason: verdict.reason,
      lastUpdateStatusReasonCode: verdict.reasonCode,
      revisionId: randomUUID(),
    };
  }
  return {
    ...rest,
    state: 'Failed',
    stateReason: verdict.reason,
    stateReasonCode: verdict.reasonCode,
    lastUpdateStatus: 'Failed',
    lastUpdateStatusReason: verdict.reason,
    lastUpdateStatusReasonCode: verdict.reasonCode,
    revisionId: randomUUID(),
  };
}

/** BullMQ counts an attempt as made once it has failed: the running one is the last if no more follow. */
function isLastAttempt(job: Job<PrepareJobData>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

export function createPrepareProcessor(
  deps: PrepareDeps,
): (job: Job<PrepareJobData>) => Promise<PrepareResult> {
  return async (job) => {
    const { functionName, generation } = job.data;
    const record = await deps.registry.get(functionName);
    if (!record || record.generation !== generation) return 'superseded';
    let verdict: PrepareVerdict;
    try {
      verdict = await withDeadline(checkFunction(record, deps), deps.checkTimeoutMs);
    } catch (err) {
      if (!isLastAttempt(job)) throw err;
      verdict = {
        ok: false,
        reason: `The function could not be prepared: ${(err as Error).message}`,
        reasonCode: HOST_FAULT,
      };
    }
    let applied = false;
    try {
      await deps.registry.update(functionName, (current) => {
        if (current.generation !== generation) return current;
        applied = true;
        return applyVerdict(current, verdict);
      });
    } catch (err) {
      // Deleted while being prepared: nothing left to prepare.
      if ((err as { code?: unknown }).code === ERRORS.FUNCTION_NOT_FOUND.code) return 'superseded';
      throw err;
    }
    if (!applied) return 'superseded';
    return verdict.ok ? 'active' : 'failed';
  };
}
