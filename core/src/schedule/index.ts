/**
 * @module
 * Schedule expressions (rate, EventBridge cron, standard cron), their fire times in an IANA time
 * zone, and the scheduled event with its deterministic ids. Pure: no I/O, no clocks, no state.
 */
export { parseSchedule } from './parse-schedule.js';
export { nextFireAfter, previousFireAtOrBefore, type FireTimeOptions } from './fire-times.js';
export { isValidTimeZone } from './zone-clock.js';
export {
  ruleArn,
  scheduledEvent,
  type JsonValue,
  type ScheduledEvent,
  type ScheduledEventOptions,
} from './scheduled-event.js';
export {
  TICK_EVENT_NAMESPACE,
  TICK_REQUEST_NAMESPACE,
  tickEventId,
  tickRequestId,
  uuidV5,
} from './tick-ids.js';
export { RULE_NAME_MAX_LENGTH, validateRuleName, type RuleNameCheck } from './rule-name.js';
export type {
  CronDialect,
  CronSchedule,
  DayOfMonthRule,
  DayOfWeekRule,
  RateSchedule,
  RateUnit,
  Schedule,
  ScheduleParseResult,
} from './types.js';
