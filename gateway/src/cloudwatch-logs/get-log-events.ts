/**
 * @module
 * GetLogEvents: one log stream's events, oldest first within the page. Without a token the
 * page is the stream's newest events, or its oldest with `startFromHead`; `nextForwardToken`
 * (`f/...`) pages toward newer events and `nextBackwardToken` (`b/...`) toward older ones. At
 * the end of the stream the forward token comes back unchanged, as AWS's does, so a client
 * polling it picks up new events as they come.
 */
import { AppError, ERRORS } from '@lambdock/core';
import { readEvents } from './event-reader.js';
import { eventIdOf, FIRST_KEY, keyOfEventId, type EventKey } from './log-events.js';
import { groupMembers, readGroup, type GroupMember } from './log-groups.js';
import { invalidToken, type LogsInput } from './logs-input.js';
import { LOG_NAME, PAGE_BYTES, readTimes, type LogsApiDeps } from './operation-deps.js';

const MAX_EVENTS = 10_000;
const TOKEN = /^([fb])\/(\d{56})$/;
/** After every event: a position to read back from, from the end. */
const LAST_KEY: EventKey = Object.freeze({
  ms: 10 ** 15 - 1,
  seq: 10 ** 10 - 1,
  fn: '9'.repeat(16),
  line: 10 ** 15 - 1,
});

function streamNotFound(): AppError {
  return new AppError(ERRORS.LOG_STREAM_NOT_FOUND, 'The specified log stream does not exist.');
}

function readToken(token: string): { direction: 'forward' | 'backward'; key: EventKey } {
  const m = TOKEN.exec(token);
  const key = m?.[2] === undefined ? undefined : keyOfEventId(m[2]);
  if (key === undefined) throw invalidToken();
  return { direction: m?.[1] === 'f' ? 'forward' : 'backward', key };
}

async function ownerOf(
  deps: LogsApiDeps,
  members: readonly GroupMember[],
  stream: string,
): Promise<GroupMember> {
  const streams = await Promise.all(members.map((m) => deps.logs.streams(m.name)));
  const at = streams.findIndex((list) => list.some((s) => s.name === stream));
  const owner = members[at];
  if (owner === undefined) throw streamNotFound();
  return owner;
}

export async function getLogEvents(
  deps: LogsApiDeps,
  input: LogsInput,
): Promise<Record<string, unknown>> {
  const group = readGroup(input);
  const stream = input.requiredString('logStreamName', LOG_NAME);
  const { startTime, endTime } = readTimes(input);
  const token = input.string('nextToken', { min: 1 });
  const limit = input.integer('limit', { min: 1, max: MAX_EVENTS }) ?? MAX_EVENTS;
  const startFromHead = input.boolean('startFromHead') ?? false;
  input.boolean('unmask');
  input.check();
  const position = token === undefined ? undefined : readToken(token);
  const members = await groupMembers(deps.registry, deps.logs, group());
  const owner = await ownerOf(deps, members, stream ?? '');
  const direction = position?.direction ?? (startFromHead ? 'forward' : 'backward');
  const read = await readEvents(
    deps.logs,
    {
      members: [owner],
      ...(position === undefined ? {} : { from: position.key }),
      ...(startTime === undefined ? {} : { startTime }),
      ...(endTime === undefined ? {} : { endTime }),
      want: (e) => e.logStreamName === stream,
      limit,
      maxBytes: PAGE_BYTES,
    },
    direction,
  );
  const events = direction === 'forward' ? read.events : [...read.events].reverse();
  const oldest = events[0]?.key;
  const newest = events[events.length - 1]?.key;
  const forward =
    direction === 'forward'
      ? (read.next ?? newest ?? position?.key ?? FIRST_KEY)
      : (newest ?? FIRST_KEY);
  const backward =
    direction === 'backward'
      ? (read.next ?? oldest ?? position?.key ?? LAST_KEY)
      : (oldest ?? position?.key ?? FIRST_KEY);
  return {
    events: events.map((e) => ({
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.timestamp,
    })),
    nextForwardToken: `f/${eventIdOf(forward)}`,
    nextBackwardToken: `b/${eventIdOf(backward)}`,
  };
}
