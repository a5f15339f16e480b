/**
 * @module
 * Parse the FunctionName a caller sends (a path segment, already percent-decoded, or a body
 * field) plus the optional `Qualifier`, the way AWS validates them. Accepted forms: `name`,
 * `name:qualifier`, partial ARN `123456789012:function:name[:qualifier]` and full ARN
 * `arn:aws:lambda:<region>:<account>:function:name[:qualifier]`.
 *
 * The patterns and messages are AWS's own (recorded answers), and they differ per operation:
 * look-ups (GetFunction, Invoke, DeleteFunction) allow `.` and `$LATEST.PUBLISHED`, CreateFunction
 * and the other write operations do not; the length limits differ too.
 */
import { AppError, ERRORS } from '../errors.js';
import { functionArn, type ArnContext } from './arn.js';
import { CONSTRAINTS, constraintMessage, validationError } from './validation.js';

export const LOOKUP_NAME_PATTERN = String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`;
export const CREATE_NAME_PATTERN = String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?`;
export const QUALIFIER_PATTERN = String.raw`\$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+`;

/** AWS's limits: a plain function name, a qualifier. */
export const FUNCTION_NAME_MAX_LENGTH = 64;
export const QUALIFIER_MAX_LENGTH = 128;

// Java's matches() is a whole-string match; these anchors reproduce it. No `u` flag: the
// patterns use `0-9-_` inside classes, which only the legacy syntax reads as a literal dash.
const LOOKUP_RE = new RegExp(`^(?:${LOOKUP_NAME_PATTERN})$`);
const CREATE_RE = new RegExp(`^(?:${CREATE_NAME_PATTERN})$`);
const QUALIFIER_RE = new RegExp(`^(?:${QUALIFIER_PATTERN})$`);
/** Capture groups shared by both name patterns. */
const GROUP = Object.freeze({ REGION: 3, ACCOUNT: 9, NAME: 11, QUALIFIER: 13 });

export interface NameRule {
  readonly pattern: 'lookup' | 'create';
  readonly maxLength: number;
  /** Only CreateFunction rejects a plain name over 64 characters (InvalidParameterValue). */
  readonly checkNameLength: boolean;
}

/** Which rule each kind of operation applies (from AWS's recorded answers and its model). */
export const NAME_RULES = Object.freeze({
  create: { pattern: 'create', maxLength: 140, checkNameLength: true },
  get: { pattern: 'lookup', maxLength: 170, checkNameLength: false },
  invoke: { pattern: 'lookup', maxLength: 170, checkNameLength: false },
  delete: { pattern: 'lookup', maxLength: 140, checkNameLength: false },
  /** UpdateFunctionCode/Configuration, the concurrency operations. */
  manage: { pattern: 'create', maxLength: 140, checkNameLength: false },
} satisfies Record<string, NameRule>);
export type NameRuleKey = keyof typeof NAME_RULES;

export interface ParsedFunctionName {
  readonly name: string;
  /** From the name or the Qualifier parameter (they agree when both are given). */
  readonly qualifier?: string;
}

export interface ParseFunctionNameOptions extends ArnContext {
  readonly rule: NameRuleKey;
  /** The `Qualifier` query parameter; an empty string counts as absent. */
  readonly qualifier?: string;
}

function qualifierProblems(qualifier: string): string[] {
  const problems: string[] = [];
  if (qualifier.length > QUALIFIER_MAX_LENGTH) {
    problems.push(
      constraintMessage('qualifier', qualifier, CONSTRAINTS.maxLength(QUALIFIER_MAX_LENGTH)),
    );
  }
  if (!QUALIFIER_RE.test(qualifier)) {
    problems.push(
      constraintMessage('qualifier', qualifier, CONSTRAINTS.pattern(QUALIFIER_PATTERN)),
    );
  }
  return problems;
}

function nameProblems(raw: string, rule: NameRule): string[] {
  const pattern = rule.pattern === 'lookup' ? LOOKUP_NAME_PATTERN : CREATE_NAME_PATTERN;
  const matches = (rule.pattern === 'lookup' ? LOOKUP_RE : CREATE_RE).test(raw);
  const tooLong = raw.length > rule.maxLength;
  const problems: string[] = [];
  if (raw.length === 0)
    problems.push(constraintMessage('functionName', raw, CONSTRAINTS.minLength(1)));
  // Recorded: look-ups report only the pattern when both break; writes report both.
  if (tooLong && (rule.pattern === 'create' || matches)) {
    problems.push(constraintMessage('functionName', raw, CONSTRAINTS.maxLength(rule.maxLength)));
  }
  if (!matches) problems.push(constraintMessage('functionName', raw, CONSTRAINTS.pattern(pattern)));
  return problems;
}

/** Validate and split a FunctionName; throws the AppError AWS would answer with. */
export function parseFunctionName(
  raw: string | undefined,
  options: ParseFunctionNameOptions,
): ParsedFunctionName {
  const rule: NameRule = NAME_RULES[options.rule];
  if (raw === undefined) {
    throw validationError([constraintMessage('functionName', null, CONSTRAINTS.notNull)]);
  }
  const paramQualifier = options.qualifier === '' ? undefined : options.qualifier;
  const problems = [
    ...(paramQualifier === undefined ? [] : qualifierProblems(paramQualifier)),
    ...nameProblems(raw, rule),
  ];
  if (problems.length > 0) throw validationError(problems);

  const match = (rule.pattern === 'lookup' ? LOOKUP_RE : CREATE_RE).exec(raw);
  const name = match?.[GROUP.NAME] ?? raw;
  const region = match?.[GROUP.REGION]?.slice(0, -1);
  const account = match?.[GROUP.ACCOUNT]?.slice(0, -1);
  const nameQualifier = match?.[GROUP.QUALIFIER];

  if (rule.checkNameLength && name.length > FUNCTION_NAME_MAX_LENGTH) {
    throw validationError(
      [constraintMessage('functionName', raw, CONSTRAINTS.maxLength(FUNCTION_NAME_MAX_LENGTH))],
      ERRORS.INVALID_PARAMETER,
    );
  }
  if (region !== undefined && region !== options.region) {
    throw new AppError(
      ERRORS.FUNCTION_NOT_FOUND,
      `Functions from '${region}' are not reachable in this region ('${options.region}')`,
    );
  }
  if (account !== undefined && account !== options.accountId) {
    throw new AppError(
      ERRORS.ACCESS_DENIED,
      `User is not authorized to access ${functionArn({ region: options.region, accountId: account }, name)}: this endpoint serves account ${options.accountId}.`,
    );
  }
  if (
    nameQualifier !== undefined &&
    paramQualifier !== undefined &&
    nameQualifier !== paramQualifier
  ) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const qualifier = nameQualifier ?? paramQualifier;
  return qualifier === undefined ? { name } : { name, qualifier };
}
