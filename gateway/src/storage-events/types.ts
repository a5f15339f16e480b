/**
 * @module
 * The shapes shared by the storage-event modules: the record AWS delivers to a function for an
 * S3 notification (event version 2.1, keys in AWS's order), one normalized webhook record, and a
 * trigger rule that routes records to a function.
 */
import type { TriggerRecord } from '@lambdock/core';

export interface AwsS3Object {
  /** Form-encoded the AWS way: `/` kept, space as `+`, UTF-8 bytes percent-encoded. */
  key: string;
  /** Present when the sender gave it, except on removals (AWS omits it there). */
  size?: number;
  eTag?: string;
  /** Present only for versioned buckets. */
  versionId?: string;
  sequencer: string;
}

export interface AwsS3Record {
  eventVersion: '2.1';
  eventSource: 'aws:s3';
  awsRegion: string;
  /** ISO 8601 with milliseconds and `Z`. */
  eventTime: string;
  /** Without the `s3:` prefix, e.g. `ObjectCreated:Put`. */
  eventName: string;
  userIdentity: { principalId: string };
  requestParameters: { sourceIPAddress: string };
  responseElements: { 'x-amz-request-id': string; 'x-amz-id-2': string };
  s3: {
    s3SchemaVersion: '1.0';
    configurationId: string;
    bucket: { name: string; ownerIdentity: { principalId: string }; arn: string };
    object: AwsS3Object;
  };
}

export interface S3Event {
  Records: AwsS3Record[];
}

export interface NormalizedRecord {
  bucket: string;
  /** The real object key, decoded from whatever encoding the sender used. */
  key: string;
  /** Without the `s3:` prefix. */
  eventName: string;
  /** Equal for every delivery of the same event (retries, replays), different otherwise. */
  dedupeKey: string;
  record: AwsS3Record;
}

/** A trigger as the matching logic sees it: the stored record without its bookkeeping. */
export type TriggerRule = Omit<TriggerRecord, 'webhook' | 'managedBy' | 'createdAt'>;
