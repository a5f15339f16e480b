/**
 * @module
 * The changes AddPermission / RemovePermission and their layer counterparts make to a stored
 * policy, with AWS's answers when the statement id is taken, when there is no policy, and when
 * the policy has no such statement. Each caller checks its RevisionId first, in its own words.
 */
import { AppError, ERRORS, type PolicyStatement, type ResourcePolicy } from '@lambdock/core';

export function addStatement(
  current: ResourcePolicy | undefined,
  statement: PolicyStatement,
  revisionId: string,
): ResourcePolicy {
  const statements = current?.statements ?? [];
  if (statements.some((s) => s.Sid === statement.Sid)) {
    throw new AppError(
      ERRORS.POLICY_STATEMENT_EXISTS,
      `The statement id (${statement.Sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
    );
  }
  return { revisionId, statements: [...statements, statement] };
}

/** AWS's answer to a RevisionId that is not the current one, naming the operation to call. */
export function preconditionFailed(
  getter: 'GetPolicy' | 'GetFunction/GetAlias' | 'GetLayerPolicy',
): AppError {
  return new AppError(
    ERRORS.PRECONDITION_FAILED,
    `The Revision Id provided does not match the latest Revision Id. Call the ${getter} API to retrieve the latest Revision Id`,
  );
}

/** AWS's answer when there is no policy to read or change. */
export function noPolicy(): AppError {
  return new AppError(
    ERRORS.RESOURCE_NOT_FOUND,
    'No policy is associated with the given resource.',
  );
}

/** `checkRevision` runs once a policy is known to exist, before the statement is looked for. */
export function removeStatement(
  current: ResourcePolicy | undefined,
  sid: string,
  revisionId: string,
  checkRevision: (current: ResourcePolicy) => void,
): ResourcePolicy {
  if (current === undefined) throw noPolicy();
  checkRevision(current);
  if (!current.statements.some((s) => s.Sid === sid)) {
    throw new AppError(
      ERRORS.RESOURCE_NOT_FOUND,
      `Statement ${sid} is not found in resource policy.`,
    );
  }
  return { revisionId, statements: current.statements.filter((s) => s.Sid !== sid) };
}
