/**
 * @module
 * Turn a bucket-notification webhook body (AWS, MinIO, Ceph RGW or s3rver dialect) into
 * AWS-exact records. A body is accepted whole or refused whole: one unreadable record refuses
 * the body, so the endpoint can answer 400 and invoke nothing.
 */
import { buildAwsRecord } from './aws-record.js';
import { dedupeKey, eventDigest, type EventIdentity } from './dedupe-key.js';
import { detectDialect, KEY_ENCODING } from './dialect.js';
import { isJsonObject, nonEmptyStringAt } from './json-fields.js';
import { decodeKey } from './key-encoding.js';
import type { NormalizedRecord } from './types.js';

/** AWS sends one record per message; MinIO and RGW one per POST. 100 leaves room for batching. */
export const MAX_RECORDS_PER_NOTIFICATION = 100;

export interface NormalizeOptions {
  /** The region to report when the sender's `awsRegion` is empty. */
  region: string;
  /**
   * When the body arrived; the event time of records without a readable one.
   * @defaultValue the current time
   */
  receivedAt?: Date;
}

export type NormalizeResult =
  { ok: true; records: NormalizedRecord[] } | { ok: false; message: string };

type RecordResult = { ok: true; record: NormalizedRecord } | { ok: false; message: string };

const S3_PREFIX = 's3:';

function missing(index: number, path: string): RecordResult {
  return { ok: false, message: `Records[${index}].${path} is missing or not a non-empty string.` };
}

function normalizeRecord(
  raw: unknown,
  index: number,
  region: string,
  receivedAt: Date,
): RecordResult {
  if (!isJsonObject(raw)) return { ok: false, message: `Records[${index}] is not an object.` };
  const bucket = nonEmptyStringAt(raw, ['s3', 'bucket', 'name']);
  if (bucket === undefined) return missing(index, 's3.bucket.name');
  const sentKey = nonEmptyStringAt(raw, ['s3', 'object', 'key']);
  if (sentKey === undefined) return missing(index, 's3.object.key');
  const sentName = nonEmptyStringAt(raw, ['eventName']);
  // MinIO prefixes event names the way notification configurations spell them.
  const eventName = sentName?.startsWith(S3_PREFIX) ? sentName.slice(S3_PREFIX.length) : sentName;
  if (eventName === undefined || eventName === '') return missing(index, 'eventName');

  const key = decodeKey(sentKey, KEY_ENCODING[detectDialect(raw)]);
  const identity: EventIdentity = { bucket, key, eventName };
  const versionId = nonEmptyStringAt(raw, ['s3', 'object', 'versionId']);
  const sequencer = nonEmptyStringAt(raw, ['s3', 'object', 'sequencer']);
  const requestId = nonEmptyStringAt(raw, ['responseElements', 'x-amz-request-id']);
  const eventId = nonEmptyStringAt(raw, ['eventId']);
  if (versionId !== undefined) identity.versionId = versionId;
  if (sequencer !== undefined) identity.sequencer = sequencer;
  if (requestId !== undefined) identity.requestId = requestId;
  if (eventId !== undefined) identity.eventId = eventId;

  const record = buildAwsRecord({
    raw,
    bucket,
    key,
    eventName,
    region,
    receivedAt,
    digest: eventDigest(identity),
  });
  return { ok: true, record: { bucket, key, eventName, dedupeKey: dedupeKey(identity), record } };
}

export function normalizeNotification(body: unknown, opts: NormalizeOptions): NormalizeResult {
  const member = isJsonObject(body) ? body['Records'] : undefined;
  const records: readonly unknown[] = Array.isArray(member) ? member : [];
  if (records.length === 0) {
    return {
      ok: false,
      message: 'The body must be a JSON object with a non-empty Records array.',
    };
  }
  if (records.length > MAX_RECORDS_PER_NOTIFICATION) {
    return {
      ok: false,
      message: `The body holds ${records.length} records; at most ${MAX_RECORDS_PER_NOTIFICATION} are accepted per request.`,
    };
  }
  const receivedAt = opts.receivedAt ?? new Date();
  const normalized: NormalizedRecord[] = [];
  for (const [index, raw] of records.entries()) {
    const result = normalizeRecord(raw, index, opts.region, receivedAt);
    if (!result.ok) return result;
    normalized.push(result.record);
  }
  return { ok: true, records: normalized };
}
