/**
 * @module
 * Turn a request's `{name}` path segment and `Qualifier` query into a function name, and load
 * the record, answering with the exact not-found message each operation uses (AWS qualifies
 * the ARN differently per operation: Invoke appends `:$LATEST`, GetFunction the qualifier asked
 * for, DeleteFunction nothing).
 */
import type { Request } from 'express';
import {
  AppError,
  ERRORS,
  functionArn,
  isAppError,
  parseFunctionName,
  type ArnContext,
  type FunctionRecord,
  type NameRuleKey,
  type ParsedFunctionName,
} from '@lambdock/core';
import type { FunctionStore } from '../deps.js';

/** A single-valued query parameter; repeated parameters count as their first value. */
export function queryParam(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

export function parseNameParam(
  req: Request,
  rule: NameRuleKey,
  ctx: ArnContext,
): ParsedFunctionName {
  const raw = typeof req.params.name === 'string' ? req.params.name : undefined;
  return parseFunctionName(raw, { ...ctx, rule, qualifier: queryParam(req, 'Qualifier') });
}

export function functionNotFound(ctx: ArnContext, name: string, qualifier?: string): AppError {
  return new AppError(
    ERRORS.FUNCTION_NOT_FOUND,
    `Function not found: ${functionArn(ctx, name, qualifier)}`,
  );
}

/** Load a function or throw ResourceNotFound naming `arnQualifier` in the ARN. */
export async function loadFunction(
  registry: FunctionStore,
  ctx: ArnContext,
  name: string,
  arnQualifier?: string,
): Promise<FunctionRecord> {
  const record = await registry.get(name);
  if (record === undefined) throw functionNotFound(ctx, name, arnQualifier);
  return record;
}

/** Re-throw the registry's bare-name not-found error with the ARN message AWS uses. */
export function withArnNotFound(ctx: ArnContext, name: string, arnQualifier?: string) {
  return (err: unknown): never => {
    if (isAppError(err) && err.code === ERRORS.FUNCTION_NOT_FOUND.code) {
      throw functionNotFound(ctx, name, arnQualifier);
    }
    throw err;
  };
}

/** Operations on the function itself (updates, concurrency) refuse versions and aliases. */
export function requireUnqualified(parsed: ParsedFunctionName): string {
  if (parsed.qualifier !== undefined) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    );
  }
  return parsed.name;
}

/** The function an operation on the function itself names, loaded (AWS's 400 and 404). */
export function loadUnqualified(
  registry: FunctionStore,
  ctx: ArnContext,
  req: Request,
): Promise<FunctionRecord> {
  return loadFunction(registry, ctx, requireUnqualified(parseNameParam(req, 'manage', ctx)));
}
