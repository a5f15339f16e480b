/**
 * @module
 * Storage bucket-notification webhooks: read AWS, MinIO, Ceph RGW and s3rver bodies, build the
 * S3 event AWS would deliver, route it with trigger rules, dedupe retries and check the secret.
 * Pure functions only; the HTTP endpoint and the stores live elsewhere.
 */
export {
  buildAwsRecord,
  toS3Event,
  type AwsRecordInput,
  type S3EventOptions,
} from './aws-record.js';
export { dedupeKey, eventDigest, type EventIdentity } from './dedupe-key.js';
export { detectDialect, KEY_ENCODING, type Dialect } from './dialect.js';
export { eventTypeMatches, isS3EventType, S3_EVENT_TYPES } from './event-types.js';
export { decodeKey, encodeAwsKey, formDecodeKey, type KeyEncoding } from './key-encoding.js';
export {
  MAX_RECORDS_PER_NOTIFICATION,
  normalizeNotification,
  type NormalizeOptions,
  type NormalizeResult,
} from './normalize-notification.js';
export { STAND_INS } from './stand-ins.js';
export {
  matchingRules,
  ruleMatches,
  validateTriggerRule,
  type TriggerRuleResult,
} from './trigger-rules.js';
export type { AwsS3Object, AwsS3Record, NormalizedRecord, S3Event, TriggerRule } from './types.js';
export { presentedSecret, secretMatches, type HeaderMap } from './webhook-secret.js';
