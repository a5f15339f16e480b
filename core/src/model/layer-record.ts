/**
 * @module
 * Layers: a layer version as stored (immutable once published; its zip lives under the same
 * content address as function code), and a function's reference to one, which carries what the
 * worker needs to mount it so the function keeps running after the layer version is deleted.
 */
import type { ArnContext } from '../lambda/arn.js';

export interface LayerVersionRecord {
  readonly layerName: string;
  /** 1, 2, …: numbers are never reused, not even after a deletion. */
  readonly version: number;
  readonly description: string;
  /** AWS format: 2026-01-01T00:00:00.000+0000 */
  readonly createdDate: string;
  readonly compatibleRuntimes?: readonly string[];
  readonly compatibleArchitectures?: readonly string[];
  readonly licenseInfo?: string;
  /** Hex SHA-256 of the zip: the content address of the stored bytes. */
  readonly codeKey: string;
  /** Base64 SHA-256, as AWS reports it. */
  readonly codeSha256: string;
  readonly codeSize: number;
  /** The bytes its files unzip to (absent on versions published before it was kept). */
  readonly unzippedSize?: number;
}

/** One entry of a function's `Layers`, in the order they are extracted into /opt. */
export interface FunctionLayer {
  /** The layer version's ARN, as GetFunction shows it. */
  readonly arn: string;
  readonly codeKey: string;
  readonly codeSize: number;
  readonly unzippedSize?: number;
}

export function layerArn(ctx: ArnContext, layerName: string): string {
  return `arn:aws:lambda:${ctx.region}:${ctx.accountId}:layer:${layerName}`;
}

export function layerVersionArn(ctx: ArnContext, layerName: string, version: number): string {
  return `${layerArn(ctx, layerName)}:${version}`;
}
