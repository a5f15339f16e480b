/**
 * @module
 * What a destination receives, in AWS's shape and wire order (aws-oracle
 * 4_versions_aliases_concurrency_destinations.destination_record): `version`, `timestamp`,
 * `requestContext`, `requestPayload`, then `responseContext` and `responsePayload` when the
 * function ran. And what a dead-letter queue receives: the original event as the body, with
 * `RequestID`, `ErrorCode` and `ErrorMessage` attributes.
 */
import type { MessageAttribute } from './queue-message.js';
import type { DestinationCondition } from './invocation-record.js';

export interface DestinationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: {
    requestId: string;
    functionArn: string;
    condition: DestinationCondition;
    approximateInvokeCount: number;
  };
  requestPayload: unknown;
  responseContext?: { statusCode: number; executedVersion: string; functionError?: 'Unhandled' };
  responsePayload?: unknown;
}

export interface DestinationRecordInput {
  requestId: string;
  /** Always qualified (`:$LATEST` for unqualified invocations), as AWS sends it. */
  functionArn: string;
  condition: DestinationCondition;
  approximateInvokeCount: number;
  timestampMs: number;
  requestPayload: unknown;
  /** Present when the function ran: its last answer. */
  response?: { executedVersion: string; functionError: boolean; payload?: unknown };
}

export function destinationRecord(input: DestinationRecordInput): DestinationRecord {
  const record: DestinationRecord = {
    version: '1.0',
    timestamp: new Date(input.timestampMs).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: input.requestPayload,
  };
  if (input.response !== undefined) {
    record.responseContext = {
      statusCode: 200,
      executedVersion: input.response.executedVersion,
      ...(input.response.functionError ? { functionError: 'Unhandled' as const } : {}),
    };
    if (input.response.payload !== undefined) record.responsePayload = input.response.payload;
  }
  return record;
}

/** AWS keeps the first kilobyte of the error message. */
const DLQ_MESSAGE_LIMIT_BYTES = 1024;

function firstKilobyte(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= DLQ_MESSAGE_LIMIT_BYTES) return text;
  // Cut on a character boundary: decoding drops a trailing partial character as U+FFFD.
  return bytes
    .subarray(0, DLQ_MESSAGE_LIMIT_BYTES)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/**
 * The attributes of a dead letter. `ErrorCode` is the invoke's status: 200 for a function
 * error (AWS's value); an event dropped without running was never answered, and gets 503.
 */
export function deadLetterAttributes(input: {
  requestId: string;
  ran: boolean;
  errorMessage: string;
}): Record<string, MessageAttribute> {
  return {
    ErrorCode: { DataType: 'Number', StringValue: input.ran ? '200' : '503' },
    ErrorMessage: { DataType: 'String', StringValue: firstKilobyte(input.errorMessage) },
    RequestID: { DataType: 'String', StringValue: input.requestId },
  };
}
