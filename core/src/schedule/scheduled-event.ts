/**
 * @module
 * The payload a scheduled rule delivers: the classic EventBridge "Scheduled Event" envelope, or
 * the rule's constant input in its place when one is configured.
 */
import { floorToSecond } from './calendar.js';

export type JsonValue =
  null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Keys are declared in wire order, the order `scheduledEvent` creates them in. */
export interface ScheduledEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Scheduled Event';
  readonly source: 'aws.events';
  readonly account: string;
  /** Scheduled fire time, UTC, second precision, e.g. `2019-03-01T01:23:45Z`. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly [string];
  readonly detail: Readonly<Record<string, never>>;
}

export interface ScheduledEventOptions {
  readonly id: string;
  readonly account: string;
  readonly region: string;
  readonly ruleArn: string;
  /** The tick being fired (epoch ms), not the moment it was delivered. */
  readonly tickMs: number;
  /** Constant input configured on the rule; when present it replaces the envelope unchanged. */
  readonly input?: JsonValue;
}

export function scheduledEvent(options: ScheduledEventOptions): ScheduledEvent | JsonValue {
  if (options.input !== undefined) return options.input;
  return {
    version: '0',
    id: options.id,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: options.account,
    time: `${new Date(floorToSecond(options.tickMs)).toISOString().slice(0, 19)}Z`,
    region: options.region,
    resources: [options.ruleArn],
    detail: {},
  };
}

/** `arn:aws:events:<region>:<account>:rule/<name>`. */
export function ruleArn(region: string, account: string, ruleName: string): string {
  return `arn:aws:events:${region}:${account}:rule/${ruleName}`;
}
