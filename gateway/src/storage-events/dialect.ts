/**
 * @module
 * Which S3-compatible store sent a record, told apart by `eventSource` (and, for s3rver, which
 * claims `aws:s3`, by its bucket ARN `arn:aws:s3: : :<bucket>`). The dialect decides how the
 * object key was encoded.
 */
import { nonEmptyStringAt } from './json-fields.js';
import type { KeyEncoding } from './key-encoding.js';

export type Dialect = 'aws' | 'minio' | 'ceph-rgw' | 's3rver' | 'other';

const S3RVER_ARN_PREFIX = 'arn:aws:s3: : :';

export function detectDialect(record: unknown): Dialect {
  const source = nonEmptyStringAt(record, ['eventSource']);
  if (source === 'minio:s3') return 'minio';
  if (source === 'ceph:s3') return 'ceph-rgw';
  if (source === 'aws:s3') {
    const arn = nonEmptyStringAt(record, ['s3', 'bucket', 'arn']);
    return arn?.startsWith(S3RVER_ARN_PREFIX) === true ? 's3rver' : 'aws';
  }
  return 'other';
}

/**
 * Unknown senders are read as AWS-encoded: that is the format every S3-compatible store claims,
 * and form-decoding changes a raw key only where it holds `+` or a valid `%XX` escape.
 */
export const KEY_ENCODING: Readonly<Record<Dialect, KeyEncoding>> = Object.freeze({
  aws: 'form',
  minio: 'form',
  'ceph-rgw': 'raw',
  s3rver: 'raw',
  other: 'form',
});
