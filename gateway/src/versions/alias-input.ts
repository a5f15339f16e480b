/**
 * @module
 * CreateAlias and UpdateAlias requests, checked the way AWS checks them: model constraints first
 * (one ValidationException listing each, with AWS's patterns and its Java rendering of the
 * weights map), then the routing rules (one additional version, never the primary one, never
 * on `$LATEST`). Whether the versions exist is for the caller to check (404).
 */
import { AppError, CONSTRAINTS, ERRORS, validationError } from '@lambdock/core';
import { Problems, isObject, readString } from '../functions/field-readers.js';

export const ALIAS_NAME_PATTERN = '(?!^[0-9]+$)([a-zA-Z0-9-_]+)';
const ALIAS_NAME = { source: ALIAS_NAME_PATTERN, re: /^(?!\d+$)[a-zA-Z0-9_-]+$/ };

/** Whether a qualifier has an alias name's form (not a version number, not `$LATEST`). */
export const isAliasName = (qualifier: string): boolean => ALIAS_NAME.re.test(qualifier);
export const ALIAS_NAME_MAX_LENGTH = 128;
const FUNCTION_VERSION = { source: String.raw`(\$LATEST|[0-9]+)`, re: /^(\$LATEST|\d+)$/ };
const DESCRIPTION_MAX_LENGTH = 256;
const WEIGHTS_FIELD = 'routingConfig.additionalVersionWeights';
const WEIGHT_VALUE_RULES =
  'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]';
const WEIGHT_KEY_RULES =
  'Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]';

export interface AliasInput {
  name?: string;
  functionVersion?: string;
  description?: string;
  /** Present when the request sent RoutingConfig; `{}` clears the routing. */
  weights?: Record<string, number>;
  revisionId?: string;
}

/** How AWS (Java) prints a Double: `2.0`, `0.5`, `-1.0`. */
function javaDouble(value: unknown): string {
  if (typeof value !== 'number') return 'null';
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

function readWeights(problems: Problems, routing: unknown): Record<string, number> | undefined {
  if (routing === undefined || routing === null) return undefined;
  const raw = isObject(routing) ? routing.AdditionalVersionWeights : undefined;
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw))
    return problems.add(WEIGHTS_FIELD, JSON.stringify(raw), 'Member must be a map');
  const entries = Object.entries(raw);
  const shown = `{${entries.map(([k, v]) => `${k}=${javaDouble(v)}`).join(', ')}}`;
  const badKey = entries.some(([k]) => !/^\d{1,1024}$/.test(k));
  const badValue = entries.some(([, v]) => typeof v !== 'number' || !(v >= 0 && v <= 1));
  if (badKey) problems.add(WEIGHTS_FIELD, shown, WEIGHT_KEY_RULES);
  if (badValue) problems.add(WEIGHTS_FIELD, shown, WEIGHT_VALUE_RULES);
  return badKey || badValue ? undefined : (raw as Record<string, number>);
}

/** The members of a CreateAlias (`create`) or UpdateAlias body, model constraints checked. */
export function readAliasInput(body: unknown, mode: 'create' | 'update'): AliasInput {
  const input = isObject(body) ? body : {};
  const problems = new Problems();
  const name =
    mode === 'create'
      ? readString(problems, 'name', input.Name, {
          minLength: 1,
          maxLength: ALIAS_NAME_MAX_LENGTH,
          pattern: ALIAS_NAME,
        })
      : undefined;
  if (mode === 'create' && (input.Name === undefined || input.Name === null))
    problems.add('name', null, CONSTRAINTS.notNull);
  const functionVersion = readString(problems, 'functionVersion', input.FunctionVersion, {
    minLength: 1,
    maxLength: 1024,
    pattern: FUNCTION_VERSION,
  });
  if (mode === 'create' && (input.FunctionVersion === undefined || input.FunctionVersion === null))
    problems.add('functionVersion', null, CONSTRAINTS.notNull);
  const description = readString(problems, 'description', input.Description, {
    maxLength: DESCRIPTION_MAX_LENGTH,
  });
  const revisionId = readString(problems, 'revisionId', input.RevisionId);
  const weights = readWeights(problems, input.RoutingConfig);
  if (problems.messages.length > 0) throw validationError(problems.messages);
  return {
    ...(name === undefined ? {} : { name }),
    ...(functionVersion === undefined ? {} : { functionVersion }),
    ...(description === undefined ? {} : { description }),
    ...(weights === undefined ? {} : { weights }),
    ...(revisionId === undefined ? {} : { revisionId }),
  };
}

/** The path's alias name (GetAlias, UpdateAlias, DeleteAlias), model constraints checked. */
export function readAliasName(raw: string): string {
  const problems = new Problems();
  readString(problems, 'name', raw, {
    minLength: 1,
    maxLength: ALIAS_NAME_MAX_LENGTH,
    pattern: ALIAS_NAME,
  });
  if (problems.messages.length > 0) throw validationError(problems.messages);
  return raw;
}

/** AWS's routing rules for the alias as it would be stored: throws its 400s. */
export function checkRouting(functionVersion: string, weights: Record<string, number>): void {
  const extra = Object.keys(weights);
  if (extra.length === 0) return;
  if (extra.length > 1) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      'Number of items in AdditionalVersionWeights cannot be greater than 1',
    );
  }
  if (functionVersion === '$LATEST') {
    throw new AppError(
      ERRORS.ALIAS_LATEST_ROUTING,
      '$LATEST is not supported for an alias pointing to more than 1 version',
    );
  }
  if (extra[0] === functionVersion) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      `Invalid function version ${functionVersion}. Function version ${functionVersion} is already included in routing configuration.`,
    );
  }
}
