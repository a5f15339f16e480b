/**
 * @module
 * GetLogEvents: one log stream's events, oldest first within the page. Without a token the
 * page is the stream's newest events, or its oldest with `startFromHead`; `nextForwardToken`
 * (`f/...`) pages toward newer events and `nextBackwardToken` (`b/...`) toward older ones. At
 * the end of the stream the forward token comes back unchanged, as AWS's does, so a client
 * polling it picks up new events as they come.
 */
import { AppError, ERRORS, type LogStreamInfo } from '@lambdock/core';
import { readEvents } from './event-reader.js';
import { endOfMs, eventIdOf, keyOfEventId, startOfMs, type EventKey } from './log-events.js';
import { groupMembers, readGroup, type GroupMember } from './log-groups.js';
import { invalidToken, type LogsInput } from './logs-input.js';
import {
  LOG_NAME,
  MAX_EVENTS_PER_PAGE,
  PAGE_BYTES,
  readTimes,
  type LogsApiDeps,
} from './operation-deps.js';

const TOKEN = /^([fb])\/(\d{56})$/;

function streamNotFound(): AppError {
  return new AppError(ERRORS.LOGS_STREAM_NOT_FOUND, 'The specified log stream does not exist.');
}

function readToken(token: string): { direction: 'forward' | 'backward'; key: EventKey } {
  const m = TOKEN.exec(token);
  const key = m?.[2] === undefined ? undefined : keyOfEventId(m[2]);
  if (key === undefined) throw invalidToken();
  return { direction: m?.[1] === 'f' ? 'forward' : 'backward', key };
}

/** The function whose environment wrote the stream, with the stream's first and last event. */
async function ownerOf(
  deps: LogsApiDeps,
  members: readonly GroupMember[],
  stream: string,
): Promise<{ owner: GroupMember; info: LogStreamInfo }> {
  const streams = await Promise.all(members.map((m) => deps.logs.streams(m.name)));
  for (const [i, list] of streams.entries()) {
    const info = list.find((s) => s.name === stream);
    const owner = members[i];
    if (info !== undefined && owner !== undefined) return { owner, info };
  }
  throw streamNotFound();
}

export async function getLogEvents(
  deps: LogsApiDeps,
  input: LogsInput,
): Promise<Record<string, unknown>> {
  const group = readGroup(input, deps.settings.accountId);
  const stream = input.requiredString('logStreamName', LOG_NAME);
  const { startTime, endTime } = readTimes(input);
  const token = input.string('nextToken', { min: 1 });
  const limit = input.integer('limit', { min: 1, max: MAX_EVENTS_PER_PAGE }) ?? MAX_EVENTS_PER_PAGE;
  const startFromHead = input.boolean('startFromHead') ?? false;
  input.boolean('unmask');
  input.check();
  const position = token === undefined ? undefined : readToken(token);
  const members = await groupMembers(deps.registry, deps.logs, group());
  const { owner, info } = await ownerOf(deps, members, stream ?? '');
  // The index bounds the read to the stream's own time span.
  const low = Math.max(startTime ?? 0, info.firstEventTimestamp);
  const high = Math.min(endTime ?? Number.MAX_SAFE_INTEGER, info.lastEventTimestamp);
  const direction = position?.direction ?? (startFromHead ? 'forward' : 'backward');
  const read = await readEvents(
    deps.logs,
    {
      members: [owner],
      ...(position === undefined ? {} : { from: position.key }),
      startTime: low,
      endTime: high,
      want: (e) => e.logStreamName === stream,
      limit,
      maxBytes: PAGE_BYTES,
    },
    direction,
  );
  const events = direction === 'forward' ? read.events : [...read.events].reverse();
  const oldest = events[0]?.key;
  const newest = events[events.length - 1]?.key;
  // With no event on the page, a token stays where it was given; without one, a forward
  // token points past the stream's end (what comes next) and a backward one before its start.
  const forward =
    (direction === 'forward' ? read.next : undefined) ?? newest ?? position?.key ?? endOfMs(high);
  const backward =
    (direction === 'backward' ? read.next : undefined) ?? oldest ?? position?.key ?? startOfMs(low);
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
