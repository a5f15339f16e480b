/**
 * @module
 * Log groups as lambdock keeps them: a function logs to its `LoggingConfig.LogGroup`
 * (`/aws/lambda/<name>` unless set), so a group is the functions that name it, and exists
 * once one of them has logged. A group is named by `logGroupName` or by `logGroupIdentifier`
 * (its name or its ARN).
 */
import { AppError, ERRORS } from '@lambdock/core';
import type { FunctionStore, LogReader } from '../deps.js';
import { functionDigits } from './log-events.js';
import type { LogsInput } from './logs-input.js';
import { LOG_NAME } from './operation-deps.js';

/** A function whose logs are part of a group, with its place in the group's event order. */
export interface GroupMember {
  readonly name: string;
  readonly fn: string;
}

const PAGE = 1000;
const GROUP_ARN = /^arn:aws[a-zA-Z-]*:logs:[^:]*:([^:]*):log-group:([^:]+)(:\*)?$/;

/** Every function's log group: group name → its functions, in name order. */
export async function allGroups(
  registry: Pick<FunctionStore, 'list'>,
): Promise<Map<string, GroupMember[]>> {
  const groups = new Map<string, GroupMember[]>();
  let marker: string | undefined;
  do {
    const page = await registry.list(PAGE, marker);
    for (const record of page.items) {
      const group = record.loggingConfig.LogGroup;
      const members = groups.get(group) ?? [];
      members.push({ name: record.name, fn: functionDigits(record.name) });
      groups.set(group, members);
    }
    marker = page.nextMarker;
  } while (marker !== undefined);
  return groups;
}

function groupNotFound(): AppError {
  return new AppError(ERRORS.LOGS_GROUP_NOT_FOUND, 'The specified log group does not exist.');
}

/** The group's name from `logGroupName` or `logGroupIdentifier` (a name or an ARN). */
function groupNameOf(
  name: string | undefined,
  identifier: string | undefined,
  accountId: string,
): string {
  if (name !== undefined && identifier !== undefined) {
    throw new AppError(
      ERRORS.LOGS_INVALID_PARAMETER,
      'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
    );
  }
  const given = name ?? identifier;
  if (given === undefined) {
    throw new AppError(
      ERRORS.LOGS_INVALID_PARAMETER,
      'Either logGroupName or logGroupIdentifier must be specified.',
    );
  }
  if (identifier === undefined || !identifier.startsWith('arn:')) return given;
  const arn = GROUP_ARN.exec(identifier);
  if (arn?.[2] === undefined) {
    throw new AppError(ERRORS.LOGS_INVALID_PARAMETER, `Invalid log group ARN: ${identifier}`);
  }
  // Another account's group is not one lambdock keeps.
  if (arn[1] !== accountId) throw groupNotFound();
  return arn[2];
}

/**
 * The group a request names (`logGroupName` or `logGroupIdentifier`), read now with the rest of
 * the input; the name is resolved, and refused, once the input's bounds are checked.
 */
export function readGroup(input: LogsInput, accountId: string): () => string {
  const name = input.string('logGroupName', LOG_NAME);
  const identifier = input.string('logGroupIdentifier', { min: 1, max: 2048 });
  return () => groupNameOf(name, identifier, accountId);
}

/** The functions of a group that has logged; ResourceNotFoundException otherwise. */
export async function groupMembers(
  registry: Pick<FunctionStore, 'list'>,
  logs: Pick<LogReader, 'oldest'>,
  group: string,
): Promise<GroupMember[]> {
  const members = (await allGroups(registry)).get(group) ?? [];
  const logged = await Promise.all(members.map((m) => logs.oldest(m.name)));
  if (logged.every((t) => t === undefined)) throw groupNotFound();
  return members;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>`, and the same with `:*` (a group's `arn`). */
export function groupArn(region: string, accountId: string, group: string): string {
  return `arn:aws:logs:${region}:${accountId}:log-group:${group}`;
}
