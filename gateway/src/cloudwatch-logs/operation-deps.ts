/**
 * @module
 * What the CloudWatch Logs operations share: their dependencies, the model's bounds on names,
 * the page size, and the time window every read takes.
 */
import { AppError, ERRORS } from '@lambdock/core';
import type { FunctionStore, GatewaySettings, LogReader } from '../deps.js';
import type { Bounds, LogsInput } from './logs-input.js';

export interface LogsApiDeps {
  readonly registry: Pick<FunctionStore, 'list'>;
  readonly logs: LogReader;
  readonly settings: Pick<GatewaySettings, 'region' | 'accountId'>;
}

/** Log group and log stream names: 1 to 512 characters. */
export const LOG_NAME: Bounds = { min: 1, max: 512 };
/** The most events a page of FilterLogEvents or GetLogEvents holds, as on AWS. */
export const MAX_EVENTS_PER_PAGE = 10_000;
/** A page of events holds at most 1 MB of messages, as AWS's does. */
export const PAGE_BYTES = 1024 * 1024;

/** Epoch milliseconds an event id can carry (15 digits: past the year 30000). */
const TIME = { min: 0, max: 10 ** 15 - 1 } as const;

/** `startTime` and `endTime` (epoch ms, both inclusive); the first must not be the later. */
export function readTimes(input: LogsInput): { startTime?: number; endTime?: number } {
  const startTime = input.integer('startTime', TIME);
  const endTime = input.integer('endTime', TIME);
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw new AppError(
      ERRORS.LOGS_INVALID_PARAMETER,
      `startTime (${startTime}) must not be later than endTime (${endTime}).`,
    );
  }
  return {
    ...(startTime === undefined ? {} : { startTime }),
    ...(endTime === undefined ? {} : { endTime }),
  };
}
