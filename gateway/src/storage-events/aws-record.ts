/**
 * @module
 * Build the record AWS would deliver from one sender record: AWS's fields in AWS's order,
 * event version 2.1 (the fields every later version keeps), the key in AWS's encoding, and the
 * dialect extras (RGW `eventId`/`opaqueData`/`metadata`/`tags`/`bucket.id`, MinIO
 * `contentType`/`userMetadata`/`source`/`x-minio-*`) left behind.
 */
import { memberAt, nonEmptyStringAt } from './json-fields.js';
import { encodeAwsKey } from './key-encoding.js';
import { STAND_INS, standInHostId, standInRequestId, standInSequencer } from './stand-ins.js';
import type { AwsS3Object, AwsS3Record, S3Event } from './types.js';

export interface AwsRecordInput {
  /** The sender's record as parsed from the body. */
  raw: unknown;
  bucket: string;
  /** The decoded key. */
  key: string;
  /** Without the `s3:` prefix. */
  eventName: string;
  /** Used when the sender's `awsRegion` is empty (RGW sends its zonegroup as `""`). */
  region: string;
  /** Event time when the sender's is missing or unreadable. */
  receivedAt: Date;
  /** Stable digest of the event, the source of derived stand-ins. */
  digest: Buffer;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** RGW sends microseconds, old MinIO whole seconds; AWS always writes milliseconds. */
function eventTime(raw: unknown, receivedAt: Date): string {
  const sent = nonEmptyStringAt(raw, ['eventTime']);
  const millis = sent !== undefined && ISO_TIME.test(sent) ? Date.parse(sent) : Number.NaN;
  return Number.isNaN(millis) ? receivedAt.toISOString() : new Date(millis).toISOString();
}

function objectSize(raw: unknown): number | undefined {
  const size = memberAt(raw, ['s3', 'object', 'size']);
  return typeof size === 'number' && Number.isSafeInteger(size) && size >= 0 ? size : undefined;
}

/** AWS writes the ETag without the quotes the HTTP header carries. */
function objectETag(raw: unknown): string | undefined {
  const eTag = nonEmptyStringAt(raw, ['s3', 'object', 'eTag']);
  const bare = eTag?.replace(/^"(.*)"$/, '$1');
  return bare === '' ? undefined : bare;
}

function awsObject(input: AwsRecordInput, time: string): AwsS3Object {
  // AWS reports neither for a removal; RGW sends the removed object's.
  const removal = input.eventName.startsWith('ObjectRemoved:');
  const size = removal ? undefined : objectSize(input.raw);
  const eTag = removal ? undefined : objectETag(input.raw);
  const versionId = nonEmptyStringAt(input.raw, ['s3', 'object', 'versionId']);
  // Built member by member so they come out in AWS's order.
  return {
    key: encodeAwsKey(input.key),
    ...(size === undefined ? {} : { size }),
    ...(eTag === undefined ? {} : { eTag }),
    ...(versionId === undefined ? {} : { versionId }),
    sequencer: nonEmptyStringAt(input.raw, ['s3', 'object', 'sequencer']) ?? standInSequencer(time),
  };
}

export function buildAwsRecord(input: AwsRecordInput): AwsS3Record {
  const { raw } = input;
  const time = eventTime(raw, input.receivedAt);
  const principalId = nonEmptyStringAt(raw, ['userIdentity', 'principalId']);
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: nonEmptyStringAt(raw, ['awsRegion']) ?? input.region,
    eventTime: time,
    eventName: input.eventName,
    userIdentity: { principalId: principalId ?? STAND_INS.PRINCIPAL_ID },
    requestParameters: {
      sourceIPAddress:
        nonEmptyStringAt(raw, ['requestParameters', 'sourceIPAddress']) ??
        STAND_INS.SOURCE_IP_ADDRESS,
    },
    responseElements: {
      'x-amz-request-id':
        nonEmptyStringAt(raw, ['responseElements', 'x-amz-request-id']) ??
        standInRequestId(input.digest),
      'x-amz-id-2':
        nonEmptyStringAt(raw, ['responseElements', 'x-amz-id-2']) ?? standInHostId(input.digest),
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId:
        nonEmptyStringAt(raw, ['s3', 'configurationId']) ?? STAND_INS.CONFIGURATION_ID,
      bucket: {
        name: input.bucket,
        ownerIdentity: {
          principalId:
            nonEmptyStringAt(raw, ['s3', 'bucket', 'ownerIdentity', 'principalId']) ??
            principalId ??
            STAND_INS.PRINCIPAL_ID,
        },
        // Rebuilt rather than copied: s3rver sends `arn:aws:s3: : :<bucket>`.
        arn: `arn:aws:s3:::${input.bucket}`,
      },
      object: awsObject(input, time),
    },
  };
}

export interface S3EventOptions {
  /**
   * The notification configuration that matched. On AWS this is the bucket notification's id;
   * here it is the trigger rule's id. Without it each record keeps the sender's.
   */
  configurationId?: string;
}

/** The event a function receives: `{Records:[…]}`. Records are copied, never changed. */
export function toS3Event(records: readonly AwsS3Record[], options: S3EventOptions = {}): S3Event {
  const { configurationId } = options;
  return {
    Records: records.map((record) => {
      const copy = structuredClone(record);
      if (configurationId !== undefined) copy.s3.configurationId = configurationId;
      return copy;
    }),
  };
}
