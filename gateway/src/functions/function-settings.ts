/**
 * @module
 * The configuration members shared by CreateFunction and UpdateFunctionConfiguration, read and
 * checked the way AWS does: model constraints first (one ValidationException listing all of
 * them), then the service's own rules (InvalidParameterValueException, one at a time).
 */
import {
  CONSTRAINTS,
  logGroupName,
  parseDestinationTarget,
  validationError,
  type ImageConfig,
  type LoggingConfig,
  invalidParameter,
} from '@lambdock/core';
import { checkEnvironment, readEnvironment } from './environment.js';
import { readLayers } from './layers.js';
import { checkRuntime } from './runtime-check.js';
import {
  Problems,
  isObject,
  pattern,
  readEnum,
  readInt,
  readString,
  readStringList,
  readStringMap,
} from './field-readers.js';

const ROLE = pattern(String.raw`arn:(aws[a-zA-Z-]*)?:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+`);
const HANDLER = pattern(String.raw`[^\s]+`);
const LOG_GROUP = pattern(String.raw`[\.\-_/#A-Za-z0-9]+`);
/** AWS's ResourceArn pattern; lambdock also takes http(s) URLs as dead-letter targets. */
const DEAD_LETTER_TARGET = pattern(String.raw`(arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()`);
const URL_TARGET = /^https?:\/\/./i;
const ARCHITECTURES = ['x86_64', 'arm64'] as const;
/** Model maximum; the service limit (10,240 MB) is checked separately, as AWS does. */
const MEMORY_MODEL_MAX_MB = 32_768;
const MEMORY_SERVICE_MAX_MB = 10_240;
/** AWS's limit on a function's tags, all requests together. */
export const TAGS_MAX = 50;

export interface LoggingConfigInput {
  LogFormat?: 'Text' | 'JSON';
  LogGroup?: string;
  ApplicationLogLevel?: string;
  SystemLogLevel?: string;
}

/** Members that were present and valid; absent members stay undefined. */
export interface FunctionSettings {
  role?: string;
  handler?: string;
  runtime?: string;
  description?: string;
  timeoutS?: number;
  memoryMb?: number;
  ephemeralStorageMb?: number;
  environment?: Record<string, string>;
  architectures?: string[];
  /** Layer version ARNs as given; looked up by layers.ts. */
  layers?: string[];
  imageConfig?: ImageConfig;
  loggingConfig?: LoggingConfigInput;
  tags?: Record<string, string>;
  /** Read to be refused when not `None`: functions start the same way on every version. */
  snapStart?: 'PublishedVersions' | 'None';
  tracingMode?: 'Active' | 'PassThrough';
  /** How many file systems the request asks to mount; lambdock mounts none. */
  fileSystemCount?: number;
  /** DeadLetterConfig.TargetArn; `''` removes the dead-letter target. */
  deadLetterTargetArn?: string;
}

export function readArchitectures(problems: Problems, value: unknown): string[] | undefined {
  const list = readStringList(problems, 'architectures', value, 1);
  if (list === undefined) return undefined;
  if (list.length === 0 || !list.every((a) => (ARCHITECTURES as readonly string[]).includes(a))) {
    return problems.add(
      'architectures',
      `[${list.join(', ')}]`,
      `Member must satisfy constraint: [Member must satisfy enum value set: [${ARCHITECTURES.join(', ')}], Member must not be null]`,
    );
  }
  return list;
}

function readImageConfig(problems: Problems, value: unknown): ImageConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    return problems.add('imageConfig', JSON.stringify(value), 'Member must be an object');
  const config: ImageConfig = {};
  const entryPoint = readStringList(problems, 'imageConfig.entryPoint', value.EntryPoint, 1500);
  const command = readStringList(problems, 'imageConfig.command', value.Command, 1500);
  const workingDirectory = readString(
    problems,
    'imageConfig.workingDirectory',
    value.WorkingDirectory,
    {
      maxLength: 1000,
    },
  );
  if (entryPoint !== undefined) config.EntryPoint = entryPoint;
  if (command !== undefined) config.Command = command;
  if (workingDirectory !== undefined) config.WorkingDirectory = workingDirectory;
  return config;
}

function readDeadLetterConfig(problems: Problems, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    return problems.add('deadLetterConfig', JSON.stringify(value), 'Member must be an object');
  const raw = value.TargetArn;
  const target = readString(problems, 'deadLetterConfig.targetArn', raw, {
    ...(typeof raw === 'string' && URL_TARGET.test(raw) ? {} : { pattern: DEAD_LETTER_TARGET }),
  });
  return raw === undefined || raw === null ? '' : target;
}

function readLoggingConfig(problems: Problems, value: unknown): LoggingConfigInput | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    return problems.add('loggingConfig', JSON.stringify(value), 'Member must be an object');
  const input: LoggingConfigInput = {};
  const format = readEnum(problems, 'loggingConfig.logFormat', value.LogFormat, [
    'JSON',
    'Text',
  ] as const);
  const group = readString(problems, 'loggingConfig.logGroup', value.LogGroup, {
    maxLength: 512,
    pattern: LOG_GROUP,
  });
  const app = readEnum(problems, 'loggingConfig.applicationLogLevel', value.ApplicationLogLevel, [
    'TRACE',
    'DEBUG',
    'INFO',
    'WARN',
    'ERROR',
    'FATAL',
  ] as const);
  const system = readEnum(problems, 'loggingConfig.systemLogLevel', value.SystemLogLevel, [
    'DEBUG',
    'INFO',
    'WARN',
  ] as const);
  if (format !== undefined) input.LogFormat = format;
  if (group !== undefined) input.LogGroup = group;
  if (app !== undefined) input.ApplicationLogLevel = app;
  if (system !== undefined) input.SystemLogLevel = system;
  return input;
}

/** Each id of a VpcConfig list, as AWS's model constrains it (its whole list shown once). */
function checkIds(
  problems: Problems,
  field: string,
  value: unknown,
  maxItems: number,
  re: RegExp,
): void {
  const ids = readStringList(problems, field, value, maxItems);
  if (ids === undefined || ids.every((id) => id.length <= 1024 && re.test(id))) return;
  problems.add(
    field,
    `[${ids.join(', ')}]`,
    `Member must satisfy constraint: [${CONSTRAINTS.maxLength(1024)}, ${CONSTRAINTS.minLength(0)}, ${CONSTRAINTS.pattern(re.source.slice(1, -1))}]`,
  );
}

/**
 * VpcConfig and SnapStart are checked as AWS's model does. A VpcConfig is then not used
 * (functions run on lambdock's own network); SnapStart other than `None` is refused below.
 */
function checkUnusedMembers(
  problems: Problems,
  body: Record<string, unknown>,
): 'PublishedVersions' | 'None' | undefined {
  if (isObject(body.VpcConfig)) {
    checkIds(problems, 'vpcConfig.subnetIds', body.VpcConfig.SubnetIds, 16, /^subnet-[0-9a-z]*$/);
    checkIds(
      problems,
      'vpcConfig.securityGroupIds',
      body.VpcConfig.SecurityGroupIds,
      5,
      /^sg-[0-9a-zA-Z]*$/,
    );
  }
  if (isObject(body.SnapStart)) {
    return readEnum(problems, 'snapStart.applyOn', body.SnapStart.ApplyOn, [
      'PublishedVersions',
      'None',
    ] as const);
  }
  return undefined;
}

function readTracingMode(problems: Problems, value: unknown): 'Active' | 'PassThrough' | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value))
    return problems.add('tracingConfig', JSON.stringify(value), 'Member must be an object');
  return readEnum(problems, 'tracingConfig.mode', value.Mode, ['Active', 'PassThrough'] as const);
}

/** FileSystemConfigs must be a list; any member of it is refused below (checkService). */
function readFileSystemCount(problems: Problems, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    return problems.add('fileSystemConfigs', JSON.stringify(value), 'Member must be a list');
  return value.length;
}

/** Model constraints of every configuration member; collects problems, never throws. */
function readModel(problems: Problems, body: Record<string, unknown>): FunctionSettings {
  const ephemeral = isObject(body.EphemeralStorage)
    ? body.EphemeralStorage.Size
    : body.EphemeralStorage;
  const snapStart = checkUnusedMembers(problems, body);
  return {
    snapStart,
    fileSystemCount: readFileSystemCount(problems, body.FileSystemConfigs),
    role: readString(problems, 'role', body.Role, { pattern: ROLE }),
    handler: readString(problems, 'handler', body.Handler, { maxLength: 128, pattern: HANDLER }),
    runtime: readString(problems, 'runtime', body.Runtime),
    description: readString(problems, 'description', body.Description, { maxLength: 256 }),
    timeoutS: readInt(problems, 'timeout', body.Timeout, 1, 900),
    memoryMb: readInt(problems, 'memorySize', body.MemorySize, 128, MEMORY_MODEL_MAX_MB),
    ephemeralStorageMb: readInt(problems, 'ephemeralStorage.size', ephemeral, 512, 10_240),
    environment: readEnvironment(problems, body.Environment),
    architectures: readArchitectures(problems, body.Architectures),
    layers: readLayers(problems, body.Layers),
    imageConfig: readImageConfig(problems, body.ImageConfig),
    tracingMode: readTracingMode(problems, body.TracingConfig),
    loggingConfig: readLoggingConfig(problems, body.LoggingConfig),
    tags: readStringMap(problems, 'tags', body.Tags),
    deadLetterTargetArn: readDeadLetterConfig(problems, body.DeadLetterConfig),
  };
}

/** The service's own rules, checked after the model constraints passed. */
function checkService(settings: FunctionSettings): void {
  if (settings.runtime !== undefined) checkRuntime(settings.runtime);
  if (settings.memoryMb !== undefined && settings.memoryMb > MEMORY_SERVICE_MAX_MB) {
    throw invalidParameter(
      `'MemorySize' value failed to satisfy constraint: Member must have value less than or equal to ${MEMORY_SERVICE_MAX_MB}`,
    );
  }
  if (settings.environment !== undefined) checkEnvironment(settings.environment);
  if (settings.snapStart === 'PublishedVersions') {
    throw invalidParameter(
      'lambdock does not support SnapStart: leave SnapStart out, or set its ApplyOn to None.',
    );
  }
  if ((settings.fileSystemCount ?? 0) > 0) {
    throw invalidParameter(
      "lambdock does not mount file systems: leave FileSystemConfigs out (or empty), and put the files in the function's package or image, or reach the store over the network.",
    );
  }
  const deadLetter = settings.deadLetterTargetArn;
  if (deadLetter !== undefined && deadLetter !== '' && !parseDestinationTarget(deadLetter)) {
    throw invalidParameter(
      `The provided target ARN ${deadLetter} is not a supported dead-letter target: use an SQS or SNS ARN, a Lambda function ARN or an http(s) URL.`,
    );
  }
  if (settings.tags !== undefined && Object.keys(settings.tags).length > TAGS_MAX) {
    throw invalidParameter('Number of tags exceeds resource tag limit.');
  }
}

/** Handler, Runtime and Layers belong to zip functions: AWS's refusal for an image function. */
export function refuseZipOnlyMembers(settings: FunctionSettings): void {
  if (
    settings.runtime !== undefined ||
    settings.handler !== undefined ||
    (settings.layers?.length ?? 0) > 0
  ) {
    throw invalidParameter(
      "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.",
    );
  }
}

/**
 * Read the configuration members of a request body. `extraProblems` lets a caller add its own
 * model problems (missing required members) to the same ValidationException.
 */
export function readFunctionSettings(
  body: Record<string, unknown>,
  extraProblems: string[] = [],
): FunctionSettings {
  const problems = new Problems();
  problems.messages.push(...extraProblems);
  const settings = readModel(problems, body);
  if (problems.messages.length > 0) throw validationError(problems.messages);
  checkService(settings);
  return settings;
}

/** AWS's rules: JSON adds INFO levels, Text drops them, a custom LogGroup is kept. */
export function resolveLoggingConfig(
  input: LoggingConfigInput | undefined,
  current: LoggingConfig | undefined,
  functionName: string,
): LoggingConfig {
  const format = input?.LogFormat ?? current?.LogFormat ?? 'Text';
  const group = input?.LogGroup ?? current?.LogGroup ?? logGroupName(functionName);
  if (format === 'Text') return { LogFormat: 'Text', LogGroup: group };
  return {
    ApplicationLogLevel: input?.ApplicationLogLevel ?? current?.ApplicationLogLevel ?? 'INFO',
    LogFormat: 'JSON',
    LogGroup: group,
    SystemLogLevel: input?.SystemLogLevel ?? current?.SystemLogLevel ?? 'INFO',
  };
}
