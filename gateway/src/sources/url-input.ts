/**
 * @module
 * Function URL configuration as the Lambda API takes and renders it (`/2021-10-31/functions/
 * {name}/url`). A URL belongs to the function itself or to one alias (never `$LATEST` nor a
 * version number: AWS's own pattern). Its id is derived from the account, function and
 * qualifier, so a function's URL stays the same across deletes and re-creates and every
 * gateway computes it alike.
 */
import { createHash } from 'node:crypto';
import {
  AppError,
  CONSTRAINTS,
  ERRORS,
  constraintMessage,
  functionArn,
  validationError,
  type ArnContext,
  type CorsConfig,
  type FunctionUrlRecord,
} from '@lambdock/core';
import { validateCors } from '../http-events/cors-validate.js';

export const URL_QUALIFIER_PATTERN = String.raw`((?!^\d+$)^[0-9a-zA-Z-_]+$)`;
const URL_QUALIFIER_RE = /^(?!\d+$)[0-9a-zA-Z_-]+$/;
const AUTH_TYPES = ['NONE', 'AWS_IAM'] as const;
const INVOKE_MODES = ['RESPONSE_STREAM', 'BUFFERED'] as const;

/** 32 characters of [a-z0-9], like AWS's url ids. */
export function urlIdFor(ctx: ArnContext, functionName: string, qualifier?: string): string {
  const digest = createHash('sha256')
    .update(`${ctx.accountId}:${ctx.region}:${functionName}:${qualifier ?? ''}`)
    .digest();
  let id = '';
  for (const byte of digest.subarray(0, 32)) id += 'abcdefghijklmnopqrstuvwxyz234567'[byte % 32];
  return id;
}

/** The qualifier a URL operation names: the name's own suffix and `Qualifier` must agree. */
export function urlQualifier(
  fromName: string | undefined,
  fromQuery: string | undefined,
): string | undefined {
  const query = fromQuery === '' ? undefined : fromQuery;
  if (fromName !== undefined && query !== undefined && fromName !== query) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const qualifier = query ?? fromName;
  if (qualifier !== undefined && !URL_QUALIFIER_RE.test(qualifier)) {
    throw validationError([
      constraintMessage('qualifier', qualifier, CONSTRAINTS.pattern(URL_QUALIFIER_PATTERN)),
    ]);
  }
  return qualifier;
}

export interface UrlSettings {
  authType?: 'NONE' | 'AWS_IAM';
  cors?: CorsConfig;
  invokeMode?: 'BUFFERED' | 'RESPONSE_STREAM';
}

function readEnum<T extends string>(
  problems: string[],
  field: string,
  value: unknown,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value))
    return value as T;
  problems.push(
    constraintMessage(
      field,
      typeof value === 'string' ? value : JSON.stringify(value),
      CONSTRAINTS.enumValue(allowed),
    ),
  );
  return undefined;
}

export function readUrlSettings(
  body: Record<string, unknown>,
  requireAuthType: boolean,
): UrlSettings {
  const problems: string[] = [];
  const authType = readEnum(problems, 'authType', body.AuthType, AUTH_TYPES);
  if (requireAuthType && authType === undefined && (body.AuthType ?? null) === null)
    problems.push(constraintMessage('authType', null, CONSTRAINTS.notNull));
  const invokeMode = readEnum(problems, 'invokeMode', body.InvokeMode, INVOKE_MODES);
  if (problems.length > 0) throw validationError(problems);
  let cors: CorsConfig | undefined;
  if (body.Cors !== undefined && body.Cors !== null) {
    const corsProblems = validateCors(body.Cors);
    if (corsProblems.length > 0)
      throw new AppError(ERRORS.INVALID_PARAMETER, corsProblems.join('; '));
    cors = body.Cors;
  }
  return {
    ...(authType === undefined ? {} : { authType }),
    ...(cors === undefined ? {} : { cors }),
    ...(invokeMode === undefined ? {} : { invokeMode }),
  };
}

export interface UrlRenderContext extends ArnContext {
  /** Base of every function URL, e.g. `http://127.0.0.1:8080`. */
  publicUrl: string;
}

export function functionUrl(ctx: UrlRenderContext, urlId: string): string {
  return `${ctx.publicUrl.replace(/\/+$/, '')}/lambda-url/${urlId}/`;
}

/** `Create` omits InvokeMode unless it was sent; `Update` shows it once ever set; Get/List always. */
export function renderUrlConfig(
  ctx: UrlRenderContext,
  url: FunctionUrlRecord,
  view: 'create' | 'update' | 'get',
): Record<string, unknown> {
  const showMode = view === 'get' || url.invokeModeSet;
  return {
    AuthType: url.authType,
    ...(url.cors === undefined ? {} : { Cors: url.cors }),
    CreationTime: url.creationTime,
    FunctionArn: functionArn(ctx, url.functionName, url.qualifier),
    FunctionUrl: functionUrl(ctx, url.urlId),
    ...(showMode ? { InvokeMode: url.invokeMode } : {}),
    ...(view === 'create' ? {} : { LastModifiedTime: url.lastModifiedTime }),
  };
}
