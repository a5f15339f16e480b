/**
 * @module
 * Render a stored FunctionRecord as AWS's `FunctionConfiguration`, with the key sets AWS
 * answers with (recorded in the oracle): state-dependent keys follow the record (Pending has
 * StateReason, an update in progress has LastUpdateStatusReason, Active has neither), image
 * functions have no Runtime/Handler/RuntimeVersionConfig, and ListFunctions items drop State,
 * LastUpdateStatus and RuntimeVersionConfig. Keys are emitted in AWS's wire order.
 */
import { createHash } from 'node:crypto';
import { functionArn, type ArnContext } from '../lambda/arn.js';
import type {
  FunctionRecord,
  FunctionState,
  ImageConfig,
  LastUpdateStatus,
  LoggingConfig,
  PackageType,
} from './function-record.js';

export interface FunctionConfiguration {
  FunctionName: string;
  FunctionArn: string;
  Runtime?: string;
  Role: string;
  Handler?: string;
  CodeSize: number;
  Description: string;
  Timeout: number;
  MemorySize: number;
  LastModified: string;
  CodeSha256: string;
  Version: string;
  DeadLetterConfig?: { TargetArn: string };
  Environment?: { Variables: Record<string, string> };
  TracingConfig: { Mode: 'Active' | 'PassThrough' };
  RevisionId: string;
  Layers?: { Arn: string; CodeSize: number }[];
  State?: FunctionState;
  StateReason?: string;
  StateReasonCode?: string;
  LastUpdateStatus?: LastUpdateStatus;
  LastUpdateStatusReason?: string;
  LastUpdateStatusReasonCode?: string;
  PackageType: PackageType;
  ImageConfigResponse?: { ImageConfig: ImageConfig };
  Architectures: string[];
  EphemeralStorage: { Size: number };
  SnapStart: { ApplyOn: 'None'; OptimizationStatus: 'Off' };
  RuntimeVersionConfig?: { RuntimeVersionArn: string };
  LoggingConfig: LoggingConfig;
}

/** `detail`: Create/Get/Update responses. `list`: ListFunctions items. */
export type ConfigurationView = 'detail' | 'list';

export interface ToConfigurationOptions extends ArnContext {
  /** @defaultValue 'detail' */
  readonly view?: ConfigurationView;
  /** Appended to FunctionArn: GetFunction with Qualifier=$LATEST, ListFunctions with ALL. */
  readonly arnQualifier?: string;
}

/**
 * AWS names the runtime build a function runs on; ours is fixed per runtime name, so the id is
 * derived from it (stable, 64 hex characters like AWS's, account field empty as in AWS).
 */
export function runtimeVersionArn(region: string, runtime: string): string {
  const id = createHash('sha256').update(`lambdock:${runtime}`).digest('hex');
  return `arn:aws:lambda:${region}::runtime:${id}`;
}

function hasImageConfig(config: ImageConfig | undefined): config is ImageConfig {
  return (
    config !== undefined &&
    (config.EntryPoint !== undefined ||
      config.Command !== undefined ||
      config.WorkingDirectory !== undefined)
  );
}

function copyImageConfig(config: ImageConfig): ImageConfig {
  const copy: ImageConfig = {};
  if (config.EntryPoint !== undefined) copy.EntryPoint = [...config.EntryPoint];
  if (config.Command !== undefined) copy.Command = [...config.Command];
  if (config.WorkingDirectory !== undefined) copy.WorkingDirectory = config.WorkingDirectory;
  return copy;
}

function stateKeys(record: FunctionRecord): Partial<FunctionConfiguration> {
  const keys: Partial<FunctionConfiguration> = { State: record.state };
  // Reasons only accompany a state that is not settled; stale ones are never shown.
  if (record.state !== 'Active') {
    if (record.stateReason !== undefined) keys.StateReason = record.stateReason;
    if (record.stateReasonCode !== undefined) keys.StateReasonCode = record.stateReasonCode;
  }
  if (record.lastUpdateStatus !== undefined) {
    keys.LastUpdateStatus = record.lastUpdateStatus;
    if (record.lastUpdateStatus !== 'Successful') {
      if (record.lastUpdateStatusReason !== undefined) {
        keys.LastUpdateStatusReason = record.lastUpdateStatusReason;
      }
      if (record.lastUpdateStatusReasonCode !== undefined) {
        keys.LastUpdateStatusReasonCode = record.lastUpdateStatusReasonCode;
      }
    }
  }
  return keys;
}

export function toFunctionConfiguration(
  record: FunctionRecord,
  options: ToConfigurationOptions,
): FunctionConfiguration {
  const detail = (options.view ?? 'detail') === 'detail';
  const zip = record.packageType === 'Zip';
  const config: FunctionConfiguration = {
    FunctionName: record.name,
    FunctionArn: functionArn(options, record.name, options.arnQualifier),
    ...(zip && record.runtime !== undefined ? { Runtime: record.runtime } : {}),
    Role: record.role,
    ...(zip && record.handler !== undefined ? { Handler: record.handler } : {}),
    CodeSize: record.codeSize,
    Description: record.description,
    Timeout: record.timeoutS,
    MemorySize: record.memoryMb,
    LastModified: record.lastModified,
    CodeSha256: record.codeSha256,
    Version: record.version ?? '$LATEST',
    // Only when configured, after Version: AWS's wire order.
    ...(record.deadLetterTargetArn === undefined
      ? {}
      : { DeadLetterConfig: { TargetArn: record.deadLetterTargetArn } }),
    // AWS echoes Environment only when one was configured; an empty map is not shown here.
    ...(Object.keys(record.environment).length > 0
      ? { Environment: { Variables: { ...record.environment } } }
      : {}),
    TracingConfig: { Mode: record.tracingMode ?? 'PassThrough' },
    RevisionId: record.revisionId,
    // Only when the function has layers, after RevisionId: AWS's wire order.
    ...(record.layers !== undefined && record.layers.length > 0
      ? { Layers: record.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize })) }
      : {}),
    ...(detail ? stateKeys(record) : {}),
    PackageType: record.packageType,
    ...(!zip && hasImageConfig(record.imageConfig)
      ? { ImageConfigResponse: { ImageConfig: copyImageConfig(record.imageConfig) } }
      : {}),
    Architectures: [...record.architectures],
    EphemeralStorage: { Size: record.ephemeralStorageMb },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    ...(detail && zip && record.runtime !== undefined
      ? {
          RuntimeVersionConfig: {
            RuntimeVersionArn: runtimeVersionArn(options.region, record.runtime),
          },
        }
      : {}),
    LoggingConfig: { ...record.loggingConfig },
  };
  return config;
}
