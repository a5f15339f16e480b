/**
 * @module
 * GetFunction's answer: the configuration plus where the code is (`Code`), and `Tags` /
 * `Concurrency` only when the function has any, as AWS does.
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
export function codeDownloadUrl(req: Request, record: FunctionRecord): string {
  const path = `/2015-03-31/functions/${encodeURIComponent(record.name)}/code`;
  // A published version's code, which $LATEST may no longer have.
  const version = record.version === undefined ? '' : `Qualifier=${record.version}&`;
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${path}?${version}CodeSha256=${encodeURIComponent(record.codeSha256)}`;
}

export function renderGetFunction(
  req: Request,
  record: FunctionRecord,
  options: ArnContext & { arnQualifier?: string; reserved?: number },
): GetFunctionResponse {
  const Code: FunctionCodeLocation =
    record.packageType === 'Image' && record.imageUri !== undefined
      ? {
          RepositoryType: 'ECR',
          ImageUri: record.imageUri,
          ResolvedImageUri: resolvedImageUri(record.imageUri, record.codeSha256),
        }
      : { RepositoryType: 'S3', Location: codeDownloadUrl(req, record) };
  return {
    Code,
    Configuration: toFunctionConfiguration(record, options),
    ...(Object.keys(record.tags).length > 0 ? { Tags: { ...record.tags } } : {}),
    ...(options.reserved === undefined
      ? {}
      : { Concurrency: { ReservedConcurrentExecutions: options.reserved } }),
  };
}
