/**
 * @module
 * The stored form of a function (one record per function for `$LATEST`). The AWS-shaped
 * `FunctionConfiguration` is rendered from it by `toFunctionConfiguration`.
 */

import type { FunctionLayer } from './layer-record.js';

export type PackageType = 'Zip' | 'Image';
export type FunctionState = 'Pending' | 'Active' | 'Inactive' | 'Failed';
export type LastUpdateStatus = 'InProgress' | 'Successful' | 'Failed';

export interface ImageConfig {
  EntryPoint?: string[];
  Command?: string[];
  WorkingDirectory?: string;
}

export interface LoggingConfig {
  LogFormat: 'Text' | 'JSON';
  LogGroup: string;
  ApplicationLogLevel?: string;
  SystemLogLevel?: string;
}

export interface FunctionRecord {
  name: string;
  packageType: PackageType;
  runtime?: string;
  handler?: string;
  role: string;
  description: string;
  timeoutS: number;
  memoryMb: number;
  ephemeralStorageMb: number;
  environment: Record<string, string>;
  /** Image functions: the image reference as given. */
  imageUri?: string;
  imageConfig?: ImageConfig;
  /** Base64 SHA-256, as AWS reports it (of the zip, or of the image reference for images). */
  codeSha256: string;
  /** Hex SHA-256 of the zip: the content address of the stored code. */
  codeKey?: string;
  codeSize: number;
  /** Zip functions: the bytes the package unzips to (absent on records made before it was kept). */
  codeUnzippedSize?: number;
  architectures: string[];
  loggingConfig: LoggingConfig;
  tags: Record<string, string>;
  state: FunctionState;
  stateReason?: string;
  stateReasonCode?: string;
  lastUpdateStatus?: LastUpdateStatus;
  lastUpdateStatusReason?: string;
  lastUpdateStatusReasonCode?: string;
  revisionId: string;
  /** AWS format: 2026-01-01T00:00:00.000+0000 */
  lastModified: string;
  /**
   * Bumped on every code or configuration change. Workers key warm environments by
   * name + generation, so an update never reuses an environment of the old definition.
   */
  generation: number;
  /** Published versions only: `1`, `2`, … (absent on `$LATEST`). */
  version?: string;
  /** `DeadLetterConfig.TargetArn`: where failed async events go (ARN or http(s) URL). */
  deadLetterTargetArn?: string;
  /** PutFunctionRecursionConfig's `RecursiveLoop`; absent is AWS's default, `Terminate`. */
  recursiveLoop?: 'Allow' | 'Terminate';
  /** `TracingConfig.Mode: Active`; absent is AWS's default, `PassThrough`. Kept, not acted on. */
  tracingMode?: 'Active';
  /** Zip functions: the layer versions extracted into /opt, in order (absent: none). */
  layers?: FunctionLayer[];
}

/** AWS's LastModified format: ISO with milliseconds and a +0000 offset. */
export function formatLastModified(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}
