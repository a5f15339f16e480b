/**
 * @module
 * CreateFunction: validate the request like AWS and build the stored record, Pending until a
 * worker has checked the code can run (the `prepare` lifecycle job).
 */
import {
  CONSTRAINTS,
  DEFAULTS,
  formatLastModified,
  parseFunctionName,
  type ArnContext,
  type FunctionLayer,
  type FunctionRecord,
  type PackageType,
  invalidParameter,
} from '@lambdock/core';
import {
  readImagePackage,
  readZipPackage,
  type ImagePackage,
  type ZipPackage,
} from './code-package.js';
import { Problems, isObject, readEnum } from './field-readers.js';
import { readCodeSigningArn, refuseCodeSigning } from './code-signing-arn.js';
import { checkUnzippedTotal, resolveLayers, type LayerLookup } from './layers.js';
import {
  readFunctionSettings,
  resolveLoggingConfig,
  type FunctionSettings,
  refuseZipOnlyMembers,
} from './function-settings.js';

export interface RecordFactoryDeps {
  ctx: ArnContext;
  now: () => number;
  newId: () => string;
  /** Where the layer versions a function names are looked up. */
  layers: LayerLookup;
}

export interface NewFunction {
  record: FunctionRecord;
  /** Zip functions: the package bytes to store under `record.codeKey`. */
  code?: Buffer;
}

/** AWS's reason text while a function (or an update) is being prepared. */
export const CREATING_REASON = {
  text: 'The function is being created.',
  code: 'Creating',
} as const;

/** The members only CreateFunction has: the required ones, the package type, code signing. */
function createOnlyMembers(body: Record<string, unknown>): {
  problems: string[];
  packageType: PackageType;
  codeSigningArn: string | undefined;
} {
  const problems = new Problems();
  for (const [member, field] of [
    ['Role', 'role'],
    ['Code', 'code'],
  ] as const) {
    if (body[member] === undefined || body[member] === null)
      problems.add(field, null, CONSTRAINTS.notNull);
  }
  const packageType =
    readEnum(problems, 'packageType', body.PackageType, ['Zip', 'Image'] as const) ?? 'Zip';
  const codeSigningArn = readCodeSigningArn(problems, body.CodeSigningConfigArn, 'optional');
  return { problems: problems.messages, packageType, codeSigningArn };
}

async function readCode(
  code: Record<string, unknown>,
  packageType: PackageType,
  settings: FunctionSettings,
): Promise<ZipPackage | ImagePackage> {
  if (packageType === 'Image') {
    refuseZipOnlyMembers(settings);
    if (typeof code.ImageUri !== 'string')
      throw invalidParameter(
        'Please provide ImageUri when the intended function PackageType is Image.',
      );
    return readImagePackage(code.ImageUri);
  }
  if (code.ImageUri !== undefined)
    throw invalidParameter(
      "Please don't provide ImageUri when the intended function PackageType is Zip.",
    );
  if (settings.runtime === undefined || settings.handler === undefined) {
    throw invalidParameter(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  if (settings.imageConfig !== undefined)
    throw invalidParameter('ImageConfig is only supported for functions with PackageType Image.');
  return readZipFile(code);
}

/** The ZipFile member of CreateFunction's Code or of UpdateFunctionCode. */
export async function readZipFile(code: Record<string, unknown>): Promise<ZipPackage> {
  if (typeof code.ZipFile === 'string') return readZipPackage(code.ZipFile);
  if (code.S3Bucket !== undefined || code.S3Key !== undefined) {
    throw invalidParameter(
      'S3 code locations are not supported by lambdock; upload the package as ZipFile.',
    );
  }
  throw invalidParameter('Please provide the deployment package as ZipFile.');
}

export async function buildNewFunction(
  body: unknown,
  deps: RecordFactoryDeps,
): Promise<NewFunction> {
  const input = isObject(body) ? body : {};
  const name = input.FunctionName;
  const rawName =
    name === undefined || name === null
      ? undefined
      : typeof name === 'string'
        ? name
        : JSON.stringify(name);
  // AWS's pattern admits `name:qualifier` here and the recorded calls were accepted: the
  // function created is the unqualified one.
  const parsed = parseFunctionName(rawName, { ...deps.ctx, rule: 'create' });
  const { problems, packageType, codeSigningArn } = createOnlyMembers(input);
  const settings = readFunctionSettings(input, problems);
  if (codeSigningArn !== undefined)
    refuseCodeSigning(codeSigningArn, 'leave CodeSigningConfigArn out');
  const layers =
    packageType === 'Zip' ? await resolveLayers(settings.layers, deps.ctx, deps.layers) : [];
  const pkg = await readCode(isObject(input.Code) ? input.Code : {}, packageType, settings);
  if ('bytes' in pkg) checkUnzippedTotal(pkg.unzippedSize, layers ?? []);
  return {
    record: newRecord(parsed.name, packageType, settings, pkg, layers ?? [], deps),
    ...('bytes' in pkg ? { code: pkg.bytes } : {}),
  };
}

function newRecord(
  name: string,
  packageType: PackageType,
  settings: FunctionSettings,
  pkg: ZipPackage | ImagePackage,
  layers: FunctionLayer[],
  deps: RecordFactoryDeps,
): FunctionRecord {
  const zip = 'bytes' in pkg;
  return {
    name,
    packageType,
    ...(zip ? { runtime: settings.runtime, handler: settings.handler } : {}),
    role: settings.role ?? '',
    description: settings.description ?? '',
    timeoutS: settings.timeoutS ?? DEFAULTS.FUNCTION_TIMEOUT_S,
    memoryMb: settings.memoryMb ?? DEFAULTS.FUNCTION_MEMORY_MB,
    ephemeralStorageMb: settings.ephemeralStorageMb ?? DEFAULTS.EPHEMERAL_STORAGE_MB,
    environment: settings.environment ?? {},
    ...(zip ? {} : { imageUri: pkg.imageUri, imageConfig: settings.imageConfig ?? {} }),
    codeSha256: pkg.codeSha256,
    ...(zip ? { codeKey: pkg.codeKey } : {}),
    codeSize: zip ? pkg.codeSize : 0,
    ...(zip ? { codeUnzippedSize: pkg.unzippedSize } : {}),
    architectures: settings.architectures ?? ['x86_64'],
    loggingConfig: resolveLoggingConfig(settings.loggingConfig, undefined, name),
    tags: settings.tags ?? {},
    ...(settings.tracingMode === 'Active' ? { tracingMode: 'Active' } : {}),
    ...(layers.length > 0 ? { layers } : {}),
    ...(settings.deadLetterTargetArn ? { deadLetterTargetArn: settings.deadLetterTargetArn } : {}),
    state: 'Pending',
    stateReason: CREATING_REASON.text,
    stateReasonCode: CREATING_REASON.code,
    revisionId: deps.newId(),
    lastModified: formatLastModified(deps.now()),
    // The clock, not 1: a function deleted and created again must never match the warm
    // environments a worker still holds for the old one.
    generation: deps.now(),
  };
}
