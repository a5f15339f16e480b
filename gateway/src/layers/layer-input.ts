/**
 * @module
 * What the layer operations read from a request: the layer's name (a name or the layer's ARN),
 * a version number, PublishLayerVersion's body and the list filters, each checked like AWS's
 * model, in AWS's words where the oracle recorded them.
 */
import {
  AppError,
  CONSTRAINTS,
  ERRORS,
  invalidParameter,
  layerArn,
  validationError,
  type ArnContext,
} from '@lambdock/core';
import { readZipPackage, type ZipPackage } from '../functions/code-package.js';
import { Problems, isObject, pattern, readString } from '../functions/field-readers.js';
import { AWS_RUNTIMES } from '../functions/runtime-check.js';

/** AWS's model pattern for `LayerName` in a path. */
const LAYER_NAME = pattern(
  String.raw`(arn:[a-zA-Z0-9-]+:lambda:[a-zA-Z0-9-]+:\d{12}:layer:[a-zA-Z0-9-_]+)|[a-zA-Z0-9-_]+`,
);
const LAYER_NAME_MAX_LENGTH = 140;

/** AWS's model pattern for a layer version's ARN (GetLayerVersionByArn, a function's Layers). */
export const LAYER_VERSION_ARN = pattern(
  String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`,
);
const LAYER_VERSION_ARN_MAX_LENGTH = 140;

/** The runtimes PublishLayerVersion's model accepts, in the order AWS lists them. */
const LAYER_RUNTIMES = AWS_RUNTIMES;

/** The runtimes ListLayers and ListLayerVersions filter by: the model's whole Runtime enum. */
export const FILTER_RUNTIMES = [
  'ruby3.5',
  'ruby2.6',
  'dotnetcore1.0',
  'python3.7',
  'nodejs8.10',
  'nasa',
  'ruby2.7',
  'python2.7-greengrass',
  'dotnetcore2.0',
  'python3.8',
  'java21',
  'dotnet6',
  'dotnetcore2.1',
  'python3.9',
  'java11',
  'nodejs6.10',
  'provided',
  'dotnetcore3.1',
  'dotnet8',
  'java25',
  'java17',
  'nodejs',
  'nodejs4.3',
  'java8.al2',
  'go1.x',
  'dotnet10',
  'nodejs20.x',
  'go1.9',
  'byol',
  'nodejs10.x',
  'provided.al2023',
  'nodejs22.x',
  'python3.10',
  'java8',
  'nodejs12.x',
  'python3.11',
  'nodejs24.x',
  'nodejs8.x',
  'python3.12',
  'nodejs14.x',
  'nodejs8.9',
  'nodejs26.x',
  'python3.13',
  'python3.14',
  'nodejs16.x',
  'python3.15',
  'provided.al2',
  'nodejs4.3-edge',
  'nodejs18.x',
  'ruby3.2',
  'python3.4',
  'ruby3.3',
  'ruby3.4',
  'ruby2.5',
  'python3.6',
  'python2.7',
] as const;

export const LAYER_ARCHITECTURES = ['x86_64', 'arm64'] as const;

const MAX_RUNTIMES = 15;
const MAX_ARCHITECTURES = 2;
const DESCRIPTION_MAX_LENGTH = 256;
const LICENSE_MAX_LENGTH = 512;

export interface LayerRef {
  readonly name: string;
  /** False for another account's or region's layer ARN: no such layer is kept here. */
  readonly local: boolean;
  /** The layer's ARN as the request named it (ours for a plain name). */
  readonly arn: string;
}

/** The layer a path names, from a plain name or a layer ARN. */
export function readLayerName(raw: unknown, ctx: ArnContext): LayerRef {
  const value = typeof raw === 'string' ? raw : '';
  const problems = new Problems();
  readString(problems, 'layerName', value, {
    minLength: 1,
    maxLength: LAYER_NAME_MAX_LENGTH,
    pattern: LAYER_NAME,
  });
  if (problems.messages.length > 0) throw validationError(problems.messages);
  if (!value.startsWith('arn:')) return { name: value, local: true, arn: layerArn(ctx, value) };
  const parts = value.split(':');
  return {
    name: parts[6] ?? '',
    local: parts[3] === ctx.region && parts[4] === ctx.accountId,
    arn: value,
  };
}

/** PublishLayerVersion's refusal of a layer ARN of another account or region. */
export function refuseForeignLayer(layer: LayerRef, ctx: ArnContext): void {
  if (layer.local) return;
  throw invalidParameter(
    `Layer ${layer.arn} is not in this account and region (${ctx.accountId}, ${ctx.region}): lambdock keeps the layers of one account.`,
  );
}

/** GetLayerVersionByArn's `Arn`, checked like AWS's model. */
export function readLayerVersionArn(raw: string | undefined): string {
  const problems = new Problems();
  if (raw === undefined) problems.add('arn', null, CONSTRAINTS.notNull);
  else
    readString(problems, 'arn', raw, {
      minLength: 1,
      maxLength: LAYER_VERSION_ARN_MAX_LENGTH,
      pattern: LAYER_VERSION_ARN,
    });
  if (problems.messages.length > 0 || raw === undefined) throw validationError(problems.messages);
  return raw;
}

/** A version number from a path: a positive integer, in AWS's words otherwise. */
export function readVersionNumber(raw: unknown): number {
  const text = typeof raw === 'string' ? raw : '';
  if (!/^-?\d+$/.test(text))
    throw validationError([
      `Value '${text}' at 'versionNumber' failed to satisfy constraint: Member must be a number`,
    ]);
  const version = Number(text);
  if (version < 1) throw invalidParameter('Layer Version Cannot be less than 1');
  if (!Number.isSafeInteger(version)) throw notFoundResource();
  return version;
}

export function notFoundResource(): AppError {
  return new AppError(ERRORS.RESOURCE_NOT_FOUND, 'The resource you requested does not exist.');
}

function shownList(list: readonly unknown[]): string {
  return `[${list.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]`;
}

/** A list of enum values, the whole list shown once when any member is outside the set. */
function readEnumList(
  problems: Problems,
  field: string,
  value: unknown,
  values: readonly string[],
  maxItems: number,
  notNull: boolean,
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    return problems.add(field, JSON.stringify(value), 'Member must be a list');
  if (value.length > maxItems)
    return problems.add(field, shownList(value), CONSTRAINTS.maxLength(maxItems));
  if (value.every((v) => typeof v === 'string' && values.includes(v))) return value as string[];
  const constraint = CONSTRAINTS.enumValue(values);
  return problems.add(
    field,
    shownList(value),
    notNull
      ? `Member must satisfy constraint: [${constraint}, ${CONSTRAINTS.notNull}]`
      : constraint,
  );
}

export interface PublishLayerRequest {
  description: string;
  compatibleRuntimes?: string[];
  compatibleArchitectures?: string[];
  licenseInfo?: string;
  pkg: ZipPackage;
}

/** PublishLayerVersion's body: the model's constraints in one ValidationException, then the zip. */
export async function readPublishLayer(body: unknown): Promise<PublishLayerRequest> {
  const input = isObject(body) ? body : {};
  const problems = new Problems();
  if (input.Content === undefined || input.Content === null)
    problems.add('content', null, CONSTRAINTS.notNull);
  else if (!isObject(input.Content))
    problems.add('content', JSON.stringify(input.Content), 'Member must be an object');
  const description = readString(problems, 'description', input.Description, {
    maxLength: DESCRIPTION_MAX_LENGTH,
  });
  const compatibleRuntimes = readEnumList(
    problems,
    'compatibleRuntimes',
    input.CompatibleRuntimes,
    LAYER_RUNTIMES,
    MAX_RUNTIMES,
    false,
  );
  const compatibleArchitectures = readEnumList(
    problems,
    'compatibleArchitectures',
    input.CompatibleArchitectures,
    LAYER_ARCHITECTURES,
    MAX_ARCHITECTURES,
    true,
  );
  const licenseInfo = readString(problems, 'licenseInfo', input.LicenseInfo, {
    maxLength: LICENSE_MAX_LENGTH,
  });
  if (problems.messages.length > 0) throw validationError(problems.messages);
  const content = input.Content as Record<string, unknown>;
  if (typeof content.ZipFile !== 'string') {
    if (content.S3Bucket !== undefined || content.S3Key !== undefined)
      throw invalidParameter(
        'S3 code locations are not supported by lambdock; upload the layer as ZipFile.',
      );
    throw invalidParameter('Please provide the layer content as ZipFile.');
  }
  return {
    description: description ?? '',
    ...(compatibleRuntimes === undefined ? {} : { compatibleRuntimes }),
    ...(compatibleArchitectures === undefined ? {} : { compatibleArchitectures }),
    ...(licenseInfo === undefined ? {} : { licenseInfo }),
    pkg: await readZipPackage(content.ZipFile),
  };
}

export interface LayerFilter {
  runtime?: string;
  architecture?: string;
}

/** ListLayers' and ListLayerVersions' filters, checked against the model's enums. */
export function readLayerFilter(runtime?: string, architecture?: string): LayerFilter {
  const problems = new Problems();
  if (runtime !== undefined && !(FILTER_RUNTIMES as readonly string[]).includes(runtime))
    problems.add('compatibleRuntime', runtime, CONSTRAINTS.enumValue(FILTER_RUNTIMES));
  if (
    architecture !== undefined &&
    !(LAYER_ARCHITECTURES as readonly string[]).includes(architecture)
  )
    problems.add(
      'compatibleArchitecture',
      architecture,
      CONSTRAINTS.enumValue(LAYER_ARCHITECTURES),
    );
  if (problems.messages.length > 0) throw validationError(problems.messages);
  return {
    ...(runtime === undefined ? {} : { runtime }),
    ...(architecture === undefined ? {} : { architecture }),
  };
}
