/**
 * @module
 * DescribeLogGroups and DescribeLogStreams: the groups functions log to that hold events, and
 * a group's streams (one per execution environment), read from the log stores' stream index,
 * never from the events. A page's `nextToken` holds the last item's sort key, so a page stays
 * right when groups or streams come and go between calls.
 */
import { AppError, ERRORS, type LogStreamInfo } from '@lambdock/core';
import { allGroups, groupArn, groupMembers, readGroup } from './log-groups.js';
import { invalidToken, type LogsInput } from './logs-input.js';
import { LOG_NAME, type LogsApiDeps } from './operation-deps.js';

/** Groups and streams a page holds: 1 to 50, 50 unless asked. */
const PAGE = { min: 1, max: 50 } as const;
const GROUPS_ORDER = 'LogGroupName';

/** A page token: the last item's sort key, and the order it was given in (`order`). */
function encodeToken(sortKey: string, order: string): string {
  return Buffer.from(JSON.stringify({ k: sortKey, o: order }), 'utf8').toString('base64url');
}

/** The sort key a token of `order` carries; InvalidParameterException for any other token. */
function decodeToken(token: string | undefined, order: string): string | undefined {
  if (token === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken();
  }
  const { k, o } = (parsed ?? {}) as { k?: unknown; o?: unknown };
  if (typeof k !== 'string' || o !== order) throw invalidToken();
  return k;
}

/** The page of `items` (already in order) after the token's sort key. */
function page<T>(
  items: readonly T[],
  sortKey: (item: T) => string,
  after: string | undefined,
  limit: number,
  order: string,
  descending = false,
): { items: T[]; nextToken?: string } {
  const beyond = (key: string): boolean =>
    after === undefined || (descending ? key < after : key > after);
  const rest = items.filter((item) => beyond(sortKey(item)));
  const taken = rest.slice(0, limit);
  const last = taken[taken.length - 1];
  return rest.length > limit && last !== undefined
    ? { items: taken, nextToken: encodeToken(sortKey(last), order) }
    : { items: taken };
}

export async function describeLogGroups(
  deps: LogsApiDeps,
  input: LogsInput,
): Promise<Record<string, unknown>> {
  const prefix = input.string('logGroupNamePrefix', LOG_NAME);
  const pattern = input.string('logGroupNamePattern', { min: 0, max: 512 });
  const token = input.string('nextToken', { min: 1 });
  const limit = input.integer('limit', PAGE) ?? PAGE.max;
  input.boolean('includeLinkedAccounts');
  input.oneOf('logGroupClass', ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY']);
  input.check();
  if (prefix !== undefined && pattern !== undefined) {
    throw new AppError(
      ERRORS.LOGS_INVALID_PARAMETER,
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
  }
  const after = decodeToken(token, GROUPS_ORDER);
  const groups = await allGroups(deps.registry);
  const named = [...groups.keys()]
    .filter((g) => prefix === undefined || g.startsWith(prefix))
    .filter((g) => pattern === undefined || g.toLowerCase().includes(pattern.toLowerCase()))
    .sort();
  const created = await Promise.all(
    named.map(async (group) => {
      const members = groups.get(group) ?? [];
      const oldest = await Promise.all(members.map((m) => deps.logs.oldest(m.name)));
      const times = oldest.filter((t): t is number => t !== undefined);
      return { group, creationTime: times.length === 0 ? undefined : Math.min(...times) };
    }),
  );
  const logged = created.filter(
    (g): g is { group: string; creationTime: number } => g.creationTime !== undefined,
  );
  const result = page(logged, (g) => g.group, after, limit, GROUPS_ORDER);
  const { region, accountId } = deps.settings;
  return {
    logGroups: result.items.map(({ group, creationTime }) => {
      const arn = groupArn(region, accountId, group);
      return {
        logGroupName: group,
        creationTime,
        metricFilterCount: 0,
        arn: `${arn}:*`,
        storedBytes: 0,
        logGroupClass: 'STANDARD',
        logGroupArn: arn,
      };
    }),
    ...(result.nextToken === undefined ? {} : { nextToken: result.nextToken }),
  };
}

/** Streams by last event: the time in fixed width, then the name, so keys sort as times do. */
const byTimeKey = (s: LogStreamInfo): string =>
  `${String(s.lastEventTimestamp).padStart(15, '0')}/${s.name}`;

export async function describeLogStreams(
  deps: LogsApiDeps,
  input: LogsInput,
): Promise<Record<string, unknown>> {
  const group = readGroup(input, deps.settings.accountId);
  const prefix = input.string('logStreamNamePrefix', LOG_NAME);
  const orderBy = input.oneOf('orderBy', ['LogStreamName', 'LastEventTime']) ?? 'LogStreamName';
  const descending = input.boolean('descending') ?? false;
  const token = input.string('nextToken', { min: 1 });
  const limit = input.integer('limit', PAGE) ?? PAGE.max;
  input.check();
  const order = `${orderBy}/${descending ? 'descending' : 'ascending'}`;
  const after = decodeToken(token, order);
  if (orderBy === 'LastEventTime' && prefix !== undefined) {
    throw new AppError(
      ERRORS.LOGS_INVALID_PARAMETER,
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  }
  const groupName = group();
  const members = await groupMembers(deps.registry, deps.logs, groupName);
  const all = (await Promise.all(members.map((m) => deps.logs.streams(m.name)))).flat();
  const sortKey = orderBy === 'LastEventTime' ? byTimeKey : (s: LogStreamInfo) => s.name;
  const ordered = all
    .filter((s) => prefix === undefined || s.name.startsWith(prefix))
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  if (descending) ordered.reverse();
  const result = page(ordered, sortKey, after, limit, order, descending);
  const arn = groupArn(deps.settings.region, deps.settings.accountId, groupName);
  return {
    logStreams: result.items.map((s) => ({
      logStreamName: s.name,
      creationTime: s.firstEventTimestamp,
      firstEventTimestamp: s.firstEventTimestamp,
      lastEventTimestamp: s.lastEventTimestamp,
      lastIngestionTime: s.lastEventTimestamp,
      arn: `${arn}:log-stream:${s.name}`,
      storedBytes: 0,
    })),
    ...(result.nextToken === undefined ? {} : { nextToken: result.nextToken }),
  };
}
