/**
 * @module
 * A code signing config ARN, as CreateFunction and PutFunctionCodeSigningConfig take it.
 * lambdock verifies no code signatures and keeps no code signing configs, so naming one is
 * refused with AWS's answer for a config that does not exist, rather than a function created
 * unsigned as if it were checked. The ARN is checked against AWS's model first.
 */
import { AppError, CONSTRAINTS, ERRORS } from '@lambdock/core';
import { type Problems, pattern, readString } from './field-readers.js';

const CODE_SIGNING_CONFIG_ARN = pattern(
  String.raw`arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:code-signing-config:csc-[a-z0-9]{17}`,
);

/**
 * The ARN as given, when it is one; model problems are recorded, never thrown. CreateFunction's
 * is optional, and an empty one is no config; PutFunctionCodeSigningConfig's is required, and an
 * empty one is checked like any other value.
 */
export function readCodeSigningArn(
  problems: Problems,
  value: unknown,
  presence: 'optional' | 'required',
): string | undefined {
  if (presence === 'optional' && value === '') return undefined;
  if (presence === 'required' && (value === undefined || value === null))
    return problems.add('codeSigningConfigArn', null, CONSTRAINTS.notNull);
  return readString(problems, 'codeSigningConfigArn', value, {
    maxLength: 200,
    pattern: CODE_SIGNING_CONFIG_ARN,
  });
}

/**
 * No config exists here: whatever ARN is named, AWS's answer for a missing one, then what to do
 * instead.
 */
export function refuseCodeSigning(arn: string, instead: string): never {
  throw new AppError(
    ERRORS.CODE_SIGNING_CONFIG_NOT_FOUND,
    `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${arn}. lambdock verifies no code signatures: ${instead}.`,
  );
}
