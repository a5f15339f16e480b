/**
 * @module
 * UpdateFunctionCode and UpdateFunctionConfiguration. Reading the request (which may need to
 * parse a zip) happens outside the registry's atomic update; `apply*` run inside it and re-check
 * the preconditions against the current record. Every update bumps the generation, gets a new
 * RevisionId and goes InProgress until a worker's `prepare` job marks it Successful.
 */
import {
  formatLastModified,
  validationError,
  type FunctionLayer,
  type FunctionRecord,
  invalidParameter,
} from '@lambdock/core';
import { readImagePackage, type ImagePackage, type ZipPackage } from './code-package.js';
import { assertUpdatable } from './conflicts.js';
import { CREATING_REASON, readZipFile, type RecordFactoryDeps } from './create-function.js';
import { Problems, isObject, readString } from './field-readers.js';
import {
  readArchitectures,
  readFunctionSettings,
  resolveLoggingConfig,
  type FunctionSettings,
  refuseZipOnlyMembers,
} from './function-settings.js';
import { checkUnzippedTotal, resolveLayers } from './layers.js';

export interface CodeUpdate {
  pkg: ZipPackage | ImagePackage;
  architectures?: string[];
  revisionId?: string;
  /** Validate only: nothing is stored. */
  dryRun: boolean;
}

export interface ConfigUpdate {
  settings: FunctionSettings;
  /** The layers that replace the function's (empty: none); undefined when not sent. */
  layers?: FunctionLayer[];
  revisionId?: string;
}

function readRevisionAndArchitectures(body: Record<string, unknown>) {
  const problems = new Problems();
  const revisionId = readString(problems, 'revisionId', body.RevisionId);
  const architectures = readArchitectures(problems, body.Architectures);
  if (problems.messages.length > 0) throw validationError(problems.messages);
  return { revisionId, architectures };
}

export async function readCodeUpdate(body: unknown, current: FunctionRecord): Promise<CodeUpdate> {
  const input = isObject(body) ? body : {};
  const { revisionId, architectures } = readRevisionAndArchitectures(input);
  let pkg: ZipPackage | ImagePackage;
  if (current.packageType === 'Image') {
    if (typeof input.ImageUri !== 'string') {
      throw invalidParameter(
        'Please provide ImageUri when updating a function with packageType Image.',
      );
    }
    pkg = readImagePackage(input.ImageUri);
  } else {
    if (input.ImageUri !== undefined) {
      throw invalidParameter(
        "Please don't provide ImageUri when updating a function with packageType Zip.",
      );
    }
    pkg = await readZipFile(input);
    checkUnzippedTotal(pkg.unzippedSize, current.layers ?? []);
  }
  return {
    pkg,
    ...(architectures === undefined ? {} : { architectures }),
    ...(revisionId === undefined ? {} : { revisionId }),
    dryRun: input.DryRun === true,
  };
}

export async function readConfigUpdate(
  body: unknown,
  current: FunctionRecord,
  deps: RecordFactoryDeps,
): Promise<ConfigUpdate> {
  const input = isObject(body) ? body : {};
  const problems = new Problems();
  const revisionId = readString(problems, 'revisionId', input.RevisionId);
  const settings = readFunctionSettings(input, problems.messages);
  if (current.packageType === 'Image') refuseZipOnlyMembers(settings);
  if (current.packageType === 'Zip' && settings.imageConfig !== undefined) {
    throw invalidParameter('ImageConfig is only supported for functions with PackageType Image.');
  }
  const layers = await resolveLayers(settings.layers, deps.ctx, deps.layers);
  if (layers !== undefined) checkUnzippedTotal(current.codeUnzippedSize, layers);
  return {
    settings,
    ...(layers === undefined ? {} : { layers }),
    ...(revisionId === undefined ? {} : { revisionId }),
  };
}

/** The bookkeeping every accepted update writes. */
function nextRevision(current: FunctionRecord, deps: RecordFactoryDeps): Partial<FunctionRecord> {
  return {
    lastUpdateStatus: 'InProgress',
    lastUpdateStatusReason: CREATING_REASON.text,
    lastUpdateStatusReasonCode: CREATING_REASON.code,
    revisionId: deps.newId(),
    lastModified: formatLastModified(deps.now()),
    // Monotonic across delete and re-create (see create-function.ts).
    generation: Math.max(current.generation + 1, deps.now()),
  };
}

export function applyCodeUpdate(
  current: FunctionRecord,
  update: CodeUpdate,
  deps: RecordFactoryDeps,
): FunctionRecord {
  assertUpdatable(current, update.revisionId, deps.ctx);
  const { pkg } = update;
  const code: Partial<FunctionRecord> =
    'bytes' in pkg
      ? {
          codeSha256: pkg.codeSha256,
          codeKey: pkg.codeKey,
          codeSize: pkg.codeSize,
          codeUnzippedSize: pkg.unzippedSize,
        }
      : { codeSha256: pkg.codeSha256, imageUri: pkg.imageUri };
  return {
    ...current,
    ...code,
    ...(update.architectures === undefined ? {} : { architectures: update.architectures }),
    ...nextRevision(current, deps),
  };
}

export function applyConfigUpdate(
  current: FunctionRecord,
  update: ConfigUpdate,
  deps: RecordFactoryDeps,
): FunctionRecord {
  assertUpdatable(current, update.revisionId, deps.ctx);
  const s = update.settings;
  const next: FunctionRecord = { ...current, ...nextRevision(current, deps) };
  if (s.role !== undefined) next.role = s.role;
  if (s.handler !== undefined) next.handler = s.handler;
  if (s.runtime !== undefined) next.runtime = s.runtime;
  if (s.description !== undefined) next.description = s.description;
  if (s.timeoutS !== undefined) next.timeoutS = s.timeoutS;
  if (s.memoryMb !== undefined) next.memoryMb = s.memoryMb;
  if (s.ephemeralStorageMb !== undefined) next.ephemeralStorageMb = s.ephemeralStorageMb;
  // AWS replaces these wholesale: the new map or config is the whole of it.
  if (s.environment !== undefined) next.environment = s.environment;
  if (s.imageConfig !== undefined) next.imageConfig = s.imageConfig;
  // PassThrough is the default and stored as no mode, so a record that only says so again is
  // unchanged (PublishVersion compares records).
  if (s.tracingMode === 'Active') next.tracingMode = 'Active';
  else if (s.tracingMode === 'PassThrough') delete next.tracingMode;
  if (update.layers !== undefined && update.layers.length === 0) delete next.layers;
  else if (update.layers !== undefined) next.layers = update.layers;
  if (s.deadLetterTargetArn === '') delete next.deadLetterTargetArn;
  else if (s.deadLetterTargetArn !== undefined) next.deadLetterTargetArn = s.deadLetterTargetArn;
  if (s.loggingConfig !== undefined) {
    next.loggingConfig = resolveLoggingConfig(s.loggingConfig, current.loggingConfig, current.name);
  }
  return next;
}
