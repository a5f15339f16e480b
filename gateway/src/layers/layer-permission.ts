/**
 * @module
 * AddLayerVersionPermission's body as the statement AWS stores: the model's constraints in one
 * ValidationException (the action can only be `lambda:GetLayerVersion`), then the statement
 * in the form AWS's GetLayerVersionPolicy documents show: `*` or an account's root as the
 * principal, an organization as a condition.
 */
import { validationError, type PolicyStatement } from '@lambdock/core';
import { Problems, isObject, pattern, readString } from '../functions/field-readers.js';
import { readStatementId, requiredString } from '../policies/permission-input.js';

const ACTION = pattern('lambda:GetLayerVersion');
const PRINCIPAL = pattern(String.raw`\d{12}|\*|arn:(aws[a-zA-Z-]*):iam::\d{12}:root`);
const ORGANIZATION = pattern('o-[a-z0-9]{10,32}');

export interface LayerPermissionInput {
  statementId: string;
  principal: string;
  organizationId?: string;
}

export function readLayerPermission(body: unknown): LayerPermissionInput {
  const b = isObject(body) ? body : {};
  const problems = new Problems();
  const statementId = readStatementId(problems, b.StatementId);
  requiredString(problems, 'action', b.Action, { pattern: ACTION });
  const principal = requiredString(problems, 'principal', b.Principal, { pattern: PRINCIPAL });
  const organizationId = readString(problems, 'organizationId', b.OrganizationId, {
    maxLength: 34,
    pattern: ORGANIZATION,
  });
  if (problems.messages.length > 0 || statementId === undefined || principal === undefined)
    throw validationError(problems.messages);
  return { statementId, principal, ...(organizationId === undefined ? {} : { organizationId }) };
}

export function layerStatementOf(input: LayerPermissionInput, resource: string): PolicyStatement {
  const principal = /^\d{12}$/.test(input.principal)
    ? { AWS: `arn:aws:iam::${input.principal}:root` }
    : input.principal === '*'
      ? '*'
      : { AWS: input.principal };
  return {
    Sid: input.statementId,
    Effect: 'Allow',
    Principal: principal,
    Action: 'lambda:GetLayerVersion',
    Resource: resource,
    ...(input.organizationId === undefined
      ? {}
      : { Condition: { StringEquals: { 'aws:PrincipalOrgID': input.organizationId } } }),
  };
}
