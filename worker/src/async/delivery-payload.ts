/**
 * @module
 * What one delivery carries, built only from the terminal record and the job (so a redelivered
 * job sends exactly what the first one would have): OnSuccess / OnFailure get AWS's destination
 * record; a dead letter is the original event with RequestID / ErrorCode / ErrorMessage.
 */
import {
  deadLetterAttributes,
  destinationRecord,
  functionArn,
  invokeCount,
  type ArnContext,
  type DestinationDelivery,
  type DestinationRecord,
  type InvocationRecord,
  type InvokeJobData,
  type MessageAttribute,
} from '@lambdock/core';
import { parseAnswer, errorMessageOf } from './run-payload.js';

export type DeliveryPayload =
  | { readonly kind: 'record'; readonly record: DestinationRecord }
  | {
      readonly kind: 'dead-letter';
      /** The original event, as JSON text. */
      readonly event: string;
      readonly attributes: Record<string, MessageAttribute>;
    };

export type PayloadContext = ArnContext;

/** The event as the function got it: Lambda sends `{}` for an empty body. */
export function originalEvent(data: InvokeJobData): string {
  return data.payload === '' ? '{}' : data.payload;
}

function eventAgeMessage(record: InvocationRecord): string {
  return record.Condition === 'ZeroReservedConcurrency'
    ? 'The function has a reserved concurrency of 0.'
    : 'The event exceeded its maximum event age before it could run.';
}

export function deliveryPayload(
  delivery: DestinationDelivery,
  record: InvocationRecord,
  data: InvokeJobData,
  ctx: PayloadContext,
): DeliveryPayload {
  const ran = invokeCount(record) > 0;
  if (delivery.Kind === 'DeadLetter') {
    const errorMessage =
      record.Error === undefined ? eventAgeMessage(record) : errorMessageOf(record.Error);
    return {
      kind: 'dead-letter',
      event: originalEvent(data),
      attributes: deadLetterAttributes({ requestId: record.RequestId, ran, errorMessage }),
    };
  }
  const failed = record.Error !== undefined;
  const answer = failed ? record.Error : record.Result;
  // A result too large to keep leaves responseContext without responsePayload.
  const response = ran
    ? {
        executedVersion: record.ExecutedVersion ?? '$LATEST',
        functionError: failed,
        payload: answer,
      }
    : undefined;
  return {
    kind: 'record',
    record: destinationRecord({
      requestId: record.RequestId,
      functionArn: functionArn(ctx, record.FunctionName, record.Qualifier),
      condition: record.Condition ?? 'RetriesExhausted',
      approximateInvokeCount: invokeCount(record),
      timestampMs: Date.parse(record.FinishedAt ?? record.AcceptedAt),
      requestPayload: parseAnswer(Buffer.from(originalEvent(data), 'utf8')),
      ...(response === undefined ? {} : { response }),
    }),
  };
}
