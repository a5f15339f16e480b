/**
 * @module
 * GetFunction's answer: the configuration plus where the code is (`Code`), and `Tags` /
 * `Concurrency` only when the function has any, as AWS does. With ACCESS_KEYS set, the code's
 * `Location` is presigned by the caller's key for 10 minutes, as AWS's S3 links are.
 */
import type { Request } from 'express';
import {
  toFunctionConfiguration,
  type ArnContext,
  type FunctionConfiguration,
  type FunctionRecord,
} from '@lambdock/core';
import { resolvedImageUri } from './code-package.js';

export type FunctionCodeLocation =
  | { RepositoryType: 'S3'; Location: string }
  | { RepositoryType: 'ECR'; ImageUri: string; ResolvedImageUri: string };

export interface GetFunctionResponse {
  Configuration: FunctionConfiguration;
  Code: FunctionCodeLocation;
  Tags?: Record<string, string>;
  Concurrency?: { ReservedConcurrentExecutions: number };
}

/** Our stand-in for AWS's presigned S3 URL: this gateway serves the zip itself. */
/** Signs a GET of `pathAndQuery` on `origin` (ACCESS_KEYS set), as S3 presigns AWS's links. */
export type PresignGet = (origin: string, pathAndQuery: string) => string;

export function codeDownloadUrl(
  req: Request,
  record: FunctionRecord,
  presign?: PresignGet,
): string {
  const path = `/2015-03-31/functions/${encodeURIComponent(record.name)}/code`;
  // A published version's code, which $LATEST may no longer have.
  const version = record.version === undefined ? '' : `Qualifier=${record.version}&`;
  const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  const pathAndQuery = `${path}?${version}CodeSha256=${encodeURIComponent(record.codeSha256)}`;
  return presign === undefined ? `${origin}${pathAndQuery}` : presign(origin, pathAndQuery);
}

export function renderGetFunction(
  req: Request,
  record: FunctionRecord,
  options: ArnContext & { arnQualifier?: string; reserved?: number; presign?: PresignGet },
): GetFunctionResponse {
  const Code: FunctionCodeLocation =
    record.packageType === 'Image' && record.imageUri !== undefined
      ? {
          RepositoryType: 'ECR',
          ImageUri: record.imageUri,
          ResolvedImageUri: resolvedImageUri(record.imageUri, record.codeSha256),
        }
      : { RepositoryType: 'S3', Location: codeDownloadUrl(req, record, options.presign) };
  return {
    Code,
    Configuration: toFunctionConfiguration(record, options),
    ...(Object.keys(record.tags).length > 0 ? { Tags: { ...record.tags } } : {}),
    ...(options.reserved === undefined
      ? {}
      : { Concurrency: { ReservedConcurrentExecutions: options.reserved } }),
  };
}
