/**
 * @module
 * How an async event ends, as the terminal transition of its record: the status and AWS
 * condition, and the deliveries it owes. Success goes to OnSuccess; every failure (retries
 * exhausted, too old, zero reserved concurrency) goes to OnFailure and to the function's
 * dead-letter target. Delivery ids are derived, so a redelivered job owes the same ids.
 */
import {
  deliveryId,
  type DeliveryKind,
  type DestinationCondition,
  type DestinationDelivery,
  type Ending,
  type ResolvedEventInvokeConfig,
} from '@lambdock/core';
import type { KeptAnswer } from './run-payload.js';

export interface EndingInput {
  requestId: string;
  condition: DestinationCondition;
  config: ResolvedEventInvokeConfig;
  /** The function's DeadLetterConfig.TargetArn, if any. */
  deadLetterTarget: string | undefined;
  answer?: KeptAnswer;
  /** Set when an attempt ran. */
  executedVersion?: string;
}

function owed(
  requestId: string,
  condition: DestinationCondition,
  kind: DeliveryKind,
  target: string | undefined,
): DestinationDelivery[] {
  if (target === undefined) return [];
  return [
    {
      Kind: kind,
      Target: target,
      DeliveryId: deliveryId(requestId, kind, condition),
      Status: 'Pending',
    },
  ];
}

export function endingFor(input: EndingInput): Ending {
  const { requestId, condition, config, answer } = input;
  const success = condition === 'Success';
  const destinations = success
    ? owed(requestId, condition, 'OnSuccess', config.onSuccess)
    : [
        ...owed(requestId, condition, 'OnFailure', config.onFailure),
        ...owed(requestId, condition, 'DeadLetter', input.deadLetterTarget),
      ];
  const status = success ? 'succeeded' : condition === 'RetriesExhausted' ? 'failed' : 'dropped';
  return {
    status,
    condition,
    destinations,
    ...(answer?.result === undefined ? {} : { result: answer.result }),
    ...(answer?.resultTruncated === true ? { resultTruncated: true } : {}),
    ...(answer?.error === undefined ? {} : { error: answer.error }),
    ...(input.executedVersion === undefined ? {} : { executedVersion: input.executedVersion }),
  };
}
