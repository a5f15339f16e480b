/**
 * @module
 * Messages of lambdock queues (the stand-ins for SQS queues and SNS topics named as dead-letter
 * or destination targets). A message keeps SQS's shape (`Body` text, `MD5OfBody`,
 * `MessageAttributes`) plus `Source`: which invocation sent it and why, so it can be redriven.
 */
import { createHash } from 'node:crypto';
import type { DeliveryKind } from './delivery-id.js';

export interface MessageAttribute {
  DataType: 'String' | 'Number';
  StringValue: string;
}

export interface MessageSource {
  RequestId: string;
  FunctionName: string;
  Qualifier: string;
  Kind: DeliveryKind;
  Condition: string;
}

export interface QueueMessage {
  MessageId: string;
  Body: string;
  MD5OfBody: string;
  MessageAttributes?: Record<string, MessageAttribute>;
  /** Epoch milliseconds, as SQS's SentTimestamp attribute. */
  SentTimestamp: number;
  Source: MessageSource;
}

export interface NewQueueMessage {
  messageId: string;
  body: string;
  attributes?: Record<string, MessageAttribute>;
  source: MessageSource;
  sentAtMs: number;
}

export function queueMessage(input: NewQueueMessage): QueueMessage {
  return {
    MessageId: input.messageId,
    Body: input.body,
    MD5OfBody: createHash('md5').update(input.body, 'utf8').digest('hex'),
    ...(input.attributes === undefined ? {} : { MessageAttributes: input.attributes }),
    SentTimestamp: input.sentAtMs,
    Source: input.source,
  };
}
