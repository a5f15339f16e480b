/**
 * @module
 * CreateFunction's `CodeSigningConfigArn`. lambdock verifies no code signatures and keeps no
 * code signing configs, so a function that names one is refused with AWS's answer for a config
 * that does not exist, rather than created unsigned as if it were checked. An empty value is
 * no config. The ARN is checked against AWS's model first, with the request's other members.
 */
import { AppError, ERRORS } from '@lambdock/core';
import { type Problems, pattern, readString } from './field-readers.js';

const CODE_SIGNING_CONFIG_ARN = pattern(
  String.raw`arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:code-signing-config:csc-[a-z0-9]{17}`,
);

/** The ARN as given, when it is one; model problems are recorded, never thrown. */
export function readCodeSigningArn(problems: Problems, value: unknown): string | undefined {
  if (value === '') return undefined;
  return readString(problems, 'codeSigningConfigArn', value, {
    maxLength: 200,
    pattern: CODE_SIGNING_CONFIG_ARN,
  });
}

/** No config exists here: whatever ARN is named, AWS's answer for a missing one. */
export function refuseCodeSigning(arn: string): never {
  throw new AppError(
    ERRORS.CODE_SIGNING_CONFIG_NOT_FOUND,
    `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${arn}. lambdock verifies no code signatures: leave CodeSigningConfigArn out.`,
  );
}
