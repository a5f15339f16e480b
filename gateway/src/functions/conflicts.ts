/**
 * @module
 * The states in which AWS refuses an operation, with its messages: a RevisionId that is not the
 * current one (412), an update while another is in progress, anything but invoke-ready states.
 */
import {
  AppError,
  ERRORS,
  functionArn,
  type ArnContext,
  type FunctionRecord,
} from '@lambdock/core';

export function stateConflict(record: FunctionRecord): AppError {
  return new AppError(
    ERRORS.FUNCTION_CONFLICT,
    `The operation cannot be performed at this time. The function is currently in the following state: ${record.state}`,
  );
}

/** A RevisionId that is not the current one (functions, versions and aliases alike). */
export function preconditionFailed(): AppError {
  return new AppError(
    ERRORS.PRECONDITION_FAILED,
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
  );
}

export function updateInProgress(record: FunctionRecord, ctx: ArnContext): AppError {
  return new AppError(
    ERRORS.FUNCTION_CONFLICT,
    `The operation cannot be performed at this time. An update is in progress for resource: ${functionArn(ctx, record.name)}`,
  );
}

/** Refuse an update unless the function is settled and `revisionId` (if given) is current. */
export function assertUpdatable(
  record: FunctionRecord,
  revisionId: string | undefined,
  ctx: ArnContext,
): void {
  if (revisionId !== undefined && revisionId !== record.revisionId) throw preconditionFailed();
  if (record.lastUpdateStatus === 'InProgress') throw updateInProgress(record, ctx);
  if (record.state === 'Pending') throw stateConflict(record);
}
