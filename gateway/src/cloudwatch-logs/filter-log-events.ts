/**
 * @module
 * FilterLogEvents: a log group's events in time order, across its streams, optionally only
 * some streams and only events a filter pattern matches; what `aws logs tail` (with and without
 * `--follow`) and `aws logs filter-log-events` call. A page ends at `limit` events, at 1 MB of
 * messages, or after a bounded read of stored entries; `nextToken` goes on from there.
 */
import { AppError, ERRORS } from '@lambdock/core';
import { readEvents } from './event-reader.js';
import { compileFilterPattern } from './filter-pattern.js';
import { eventIdOf, keyOfEventId } from './log-events.js';
import { groupMembers, readGroup } from './log-groups.js';
import { invalidToken, type LogsInput } from './logs-input.js';
import {
  LOG_NAME,
  MAX_EVENTS_PER_PAGE,
  PAGE_BYTES,
  readTimes,
  type LogsApiDeps,
} from './operation-deps.js';

export async function filterLogEvents(
  deps: LogsApiDeps,
  input: LogsInput,
): Promise<Record<string, unknown>> {
  const group = readGroup(input, deps.settings.accountId);
  const streamNames = input.strings('logStreamNames', { min: 1, max: 100 }, LOG_NAME);
  const prefix = input.string('logStreamNamePrefix', LOG_NAME);
  const { startTime, endTime } = readTimes(input);
  const pattern = input.string('filterPattern', { min: 0, max: 1024 });
  const token = input.string('nextToken', { min: 1 });
  const limit = input.integer('limit', { min: 1, max: MAX_EVENTS_PER_PAGE }) ?? MAX_EVENTS_PER_PAGE;
  input.boolean('interleaved');
  input.boolean('unmask');
  input.check();
  if (streamNames !== undefined && prefix !== undefined) {
    throw new AppError(
      ERRORS.LOGS_INVALID_PARAMETER,
      'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
    );
  }
  const from = token === undefined ? undefined : keyOfEventId(token);
  if (token !== undefined && from === undefined) throw invalidToken();
  const matches = compileFilterPattern(pattern);
  const members = await groupMembers(deps.registry, deps.logs, group());
  const streams = streamNames === undefined ? undefined : new Set(streamNames);
  const read = await readEvents(
    deps.logs,
    {
      members,
      ...(from === undefined ? {} : { from }),
      ...(startTime === undefined ? {} : { startTime }),
      ...(endTime === undefined ? {} : { endTime }),
      want: (e) =>
        (streams === undefined || streams.has(e.logStreamName)) &&
        (prefix === undefined || e.logStreamName.startsWith(prefix)) &&
        matches(e.message),
      limit,
      maxBytes: PAGE_BYTES,
    },
    'forward',
  );
  return {
    events: read.events.map((e) => ({
      logStreamName: e.logStreamName,
      timestamp: e.timestamp,
      message: e.message,
      ingestionTime: e.timestamp,
      eventId: eventIdOf(e.key),
    })),
    searchedLogStreams: [],
    ...(read.next === undefined ? {} : { nextToken: eventIdOf(read.next) }),
  };
}
