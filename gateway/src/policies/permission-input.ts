/**
 * @module
 * AddPermission's body as the statement AWS stores: model constraints first (one
 * ValidationException), then the principal's form. The statement's keys and the way a principal
 * and the conditions are written follow AWS's GetPolicy documents.
 */
import {
  AppError,
  CONSTRAINTS,
  ERRORS,
  validationError,
  type PolicyStatement,
} from '@lambdock/core';
import { Problems, isObject, pattern, readEnum, readString } from '../functions/field-readers.js';

const STATEMENT_ID = pattern('([a-zA-Z0-9-_]+)');
const ACTION = pattern('(lambda:[*]|lambda:[a-zA-Z]+|[*])');
const ACCOUNT = /^\d{12}$/;
const IAM_ARN = /^arn:aws[a-zA-Z-]*:iam::\d{12}:.+$/;
/** A service principal: `s3.amazonaws.com`, `events.amazonaws.com`, ... */
const SERVICE = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;

export interface PermissionInput {
  statementId: string;
  action: string;
  principal: string;
  revisionId?: string;
  conditions: Record<string, Record<string, string>>;
}

/** A member the request must carry: AWS's not-null problem when absent. */
export function requiredString(
  problems: Problems,
  field: string,
  raw: unknown,
  rules: Parameters<typeof readString>[3],
): string | undefined {
  if (raw === undefined || raw === null) return problems.add(field, null, CONSTRAINTS.notNull);
  return readString(problems, field, raw, rules);
}

/** A statement's id, required, as AddPermission's and AddLayerVersionPermission's models check it. */
export function readStatementId(problems: Problems, raw: unknown): string | undefined {
  return requiredString(problems, 'statementId', raw, {
    minLength: 1,
    maxLength: 100,
    pattern: STATEMENT_ID,
  });
}

/** The members of an AddPermission request; throws AWS's ValidationException. */
export function readPermission(body: unknown): PermissionInput {
  const b = isObject(body) ? body : {};
  const problems = new Problems();
  const statementId = readStatementId(problems, b.StatementId);
  const action = requiredString(problems, 'action', b.Action, { pattern: ACTION });
  const principal = requiredString(problems, 'principal', b.Principal, {
    pattern: pattern(String.raw`[^\s]+`),
  });
  const sourceArn = readString(problems, 'sourceArn', b.SourceArn);
  const sourceAccount = readString(problems, 'sourceAccount', b.SourceAccount, {
    maxLength: 12,
    pattern: pattern(String.raw`\d{12}`),
  });
  const token = readString(problems, 'eventSourceToken', b.EventSourceToken, { maxLength: 256 });
  const orgId = readString(problems, 'principalOrgID', b.PrincipalOrgID, {
    minLength: 12,
    maxLength: 34,
    pattern: pattern('^o-[a-z0-9]{10,32}$'),
  });
  const urlAuth = readEnum(problems, 'functionUrlAuthType', b.FunctionUrlAuthType, [
    'NONE',
    'AWS_IAM',
  ] as const);
  const revisionId = readString(problems, 'revisionId', b.RevisionId);
  // A member left undefined always left a problem behind.
  if (
    problems.messages.length > 0 ||
    statementId === undefined ||
    action === undefined ||
    principal === undefined
  ) {
    throw validationError(problems.messages);
  }
  const conditions: Record<string, Record<string, string>> = {};
  const equals: Record<string, string> = {};
  if (sourceAccount !== undefined) equals['AWS:SourceAccount'] = sourceAccount;
  if (orgId !== undefined) equals['aws:PrincipalOrgID'] = orgId;
  if (token !== undefined) equals['lambda:EventSourceToken'] = token;
  if (urlAuth !== undefined) equals['lambda:FunctionUrlAuthType'] = urlAuth;
  if (Object.keys(equals).length > 0) conditions.StringEquals = equals;
  if (sourceArn !== undefined) conditions.ArnLike = { 'AWS:SourceArn': sourceArn };
  return {
    statementId,
    action,
    principal,
    conditions,
    ...(revisionId === undefined ? {} : { revisionId }),
  };
}

/** How a policy names a principal: `*`, an account's root, an IAM ARN or a service. */
function principalOf(principal: string): PolicyStatement['Principal'] {
  if (principal === '*') return '*';
  if (ACCOUNT.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (IAM_ARN.test(principal)) return { AWS: principal };
  if (SERVICE.test(principal)) return { Service: principal };
  throw new AppError(
    ERRORS.INVALID_PARAMETER,
    'The provided principal was invalid. Please check the principal and try again.',
  );
}

export function statementOf(input: PermissionInput, resource: string): PolicyStatement {
  return {
    Sid: input.statementId,
    Effect: 'Allow',
    Principal: principalOf(input.principal),
    Action: input.action,
    Resource: resource,
    ...(Object.keys(input.conditions).length > 0 ? { Condition: input.conditions } : {}),
  };
}
