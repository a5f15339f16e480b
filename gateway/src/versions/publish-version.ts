/**
 * @module
 * PublishVersion, and the publish step of CreateFunction / UpdateFunctionCode with
 * `Publish: true`. A version is an immutable snapshot of `$LATEST`; publishing when nothing
 * changed since the newest version returns that version (AWS's rule, kept by the version
 * store). Preconditions follow AWS: `CodeSha256` must be `$LATEST`'s (400), `RevisionId` must
 * be current (412), and an update in progress refuses the publish (409). A new version gives
 * `$LATEST` a new RevisionId, as AWS's does.
 */
import {
  AppError,
  ERRORS,
  formatLastModified,
  validationError,
  type FunctionRecord,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { preconditionFailed, stateConflict, updateInProgress } from '../functions/conflicts.js';
import { Problems, isObject, readString } from '../functions/field-readers.js';
import { loadFunction } from '../functions/lookup.js';

export type PublishDeps = Pick<
  ResolvedGatewayDeps,
  'registry' | 'versions' | 'settings' | 'now' | 'newId'
>;

export interface PublishRequest {
  description?: string;
  codeSha256?: string;
  revisionId?: string;
}

const DESCRIPTION_MAX_LENGTH = 256;

export function readPublishRequest(body: unknown): PublishRequest {
  const input = isObject(body) ? body : {};
  const problems = new Problems();
  const description = readString(problems, 'description', input.Description, {
    maxLength: DESCRIPTION_MAX_LENGTH,
  });
  const codeSha256 = readString(problems, 'codeSha256', input.CodeSha256);
  const revisionId = readString(problems, 'revisionId', input.RevisionId);
  if (problems.messages.length > 0) throw validationError(problems.messages);
  return {
    ...(description === undefined ? {} : { description }),
    ...(codeSha256 === undefined ? {} : { codeSha256 }),
    ...(revisionId === undefined ? {} : { revisionId }),
  };
}

/** Snapshot `latest` (as read) as a version; returns the version's record. */
export async function snapshotLatest(
  deps: PublishDeps,
  latest: FunctionRecord,
  description?: string,
): Promise<FunctionRecord> {
  const { record, created } = await deps.versions.publish(latest, {
    ...(description === undefined ? {} : { description }),
    revisionId: deps.newId(),
    lastModified: formatLastModified(deps.now()),
  });
  if (created) {
    // Only the definition that was published gets the new RevisionId: a change that raced in
    // has a RevisionId of its own already.
    await deps.registry
      .update(latest.name, (current) =>
        current.revisionId === latest.revisionId
          ? { ...current, revisionId: deps.newId() }
          : current,
      )
      .catch((err: unknown) => {
        // Deleted meanwhile: the version went with it; the answer is still the snapshot.
        if ((err as { code?: unknown }).code !== ERRORS.FUNCTION_NOT_FOUND.code) throw err;
      });
  }
  return record;
}

/** The PublishVersion operation on function `name`. */
export async function publishVersion(
  deps: PublishDeps,
  name: string,
  request: PublishRequest,
): Promise<FunctionRecord> {
  const latest = await loadFunction(deps.registry, deps.settings, name);
  if (request.codeSha256 !== undefined && request.codeSha256 !== latest.codeSha256) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      `CodeSHA256 (${request.codeSha256}) is different from current CodeSHA256 in $LATEST (${latest.codeSha256}). Please try again with the CodeSHA256 in $LATEST.`,
    );
  }
  if (request.revisionId !== undefined && request.revisionId !== latest.revisionId)
    throw preconditionFailed();
  if (latest.lastUpdateStatus === 'InProgress') throw updateInProgress(latest, deps.settings);
  if (latest.state !== 'Active') throw stateConflict(latest);
  return snapshotLatest(deps, latest, request.description);
}

/** How CreateFunction / UpdateFunctionCode with `Publish` show the new version: Pending. */
export function pendingView(
  version: FunctionRecord,
  reason: { text: string; code: string },
): FunctionRecord {
  const view: FunctionRecord = {
    ...version,
    state: 'Pending',
    stateReason: reason.text,
    stateReasonCode: reason.code,
  };
  delete view.lastUpdateStatus;
  delete view.lastUpdateStatusReason;
  delete view.lastUpdateStatusReasonCode;
  return view;
}
