/**
 * @module
 * The body of PutFunctionEventInvokeConfig / UpdateFunctionEventInvokeConfig, checked the way
 * AWS checks it: model constraints first (one ValidationException listing all), then "at
 * least one setting". Destination values may also be http(s) URLs (lambdock's webhooks),
 * which AWS's pattern does not admit; what they point at is checked in destination-check.ts.
 */
import { AppError, ERRORS, EVENT_INVOKE_LIMITS, validationError } from '@lambdock/core';
import { Problems, isObject, pattern, readInt, readString } from '../functions/field-readers.js';

/** AWS's model pattern for DestinationConfig.OnSuccess/OnFailure.Destination. */
const DESTINATION = pattern(
  String.raw`$|kafka://([^.]([a-zA-Z0-9\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*)`,
);
const DESTINATION_MAX_LENGTH = 350;
const WEBHOOK = /^https?:\/\//i;

/** One side of DestinationConfig: absent, given without a destination (`{}`), or given. */
export type DestinationSide = { destination?: string } | undefined;

export interface EventConfigInput {
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  /** Present when DestinationConfig was sent. */
  destinationConfig?: { onSuccess: DestinationSide; onFailure: DestinationSide };
}

function readSide(problems: Problems, field: string, value: unknown): DestinationSide {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problems.add(field, JSON.stringify(value), 'Member must be an object');
    return undefined;
  }
  const raw = value.Destination;
  const destination =
    typeof raw === 'string' && WEBHOOK.test(raw)
      ? readString(problems, `${field}.destination`, raw, { maxLength: DESTINATION_MAX_LENGTH })
      : readString(problems, `${field}.destination`, raw, {
          maxLength: DESTINATION_MAX_LENGTH,
          pattern: DESTINATION,
        });
  // An empty destination is AWS's way of saying "none".
  return destination === undefined || destination === '' ? {} : { destination };
}

function readDestinationConfig(
  problems: Problems,
  value: unknown,
): EventConfigInput['destinationConfig'] {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problems.add('destinationConfig', JSON.stringify(value), 'Member must be an object');
    return undefined;
  }
  return {
    onSuccess: readSide(problems, 'destinationConfig.onSuccess', value.OnSuccess),
    onFailure: readSide(problems, 'destinationConfig.onFailure', value.OnFailure),
  };
}

export function readEventConfigInput(body: unknown): EventConfigInput {
  const input = isObject(body) ? body : {};
  const problems = new Problems();
  const retries = readInt(
    problems,
    'maximumRetryAttempts',
    input.MaximumRetryAttempts,
    EVENT_INVOKE_LIMITS.MIN_RETRY_ATTEMPTS,
    EVENT_INVOKE_LIMITS.MAX_RETRY_ATTEMPTS,
  );
  const age = readInt(
    problems,
    'maximumEventAgeInSeconds',
    input.MaximumEventAgeInSeconds,
    EVENT_INVOKE_LIMITS.MIN_EVENT_AGE_S,
    EVENT_INVOKE_LIMITS.MAX_EVENT_AGE_S,
  );
  const destinationConfig = readDestinationConfig(problems, input.DestinationConfig);
  if (problems.messages.length > 0) throw validationError(problems.messages);
  if (retries === undefined && age === undefined && destinationConfig === undefined) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      'You must specify at least one of error handling or destination setting.',
    );
  }
  return {
    ...(retries === undefined ? {} : { maximumRetryAttempts: retries }),
    ...(age === undefined ? {} : { maximumEventAgeInSeconds: age }),
    ...(destinationConfig === undefined ? {} : { destinationConfig }),
  };
}
