/**
 * @module
 * S3 event types as notification configurations spell them (with the `s3:` prefix), and how a
 * configured type matches a record's event name. AWS's list; `s3:*` (every event) is the one
 * addition, as MinIO and RGW accept it.
 */

export const S3_EVENT_TYPES: readonly string[] = Object.freeze([
  's3:*',
  's3:ObjectCreated:*',
  's3:ObjectCreated:Put',
  's3:ObjectCreated:Post',
  's3:ObjectCreated:Copy',
  's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*',
  's3:ObjectRemoved:Delete',
  's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*',
  's3:ObjectRestore:Post',
  's3:ObjectRestore:Completed',
  's3:ObjectRestore:Delete',
  's3:ReducedRedundancyLostObject',
  's3:Replication:*',
  's3:Replication:OperationFailedReplication',
  's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold',
  's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleExpiration:*',
  's3:LifecycleExpiration:Delete',
  's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition',
  's3:IntelligentTiering',
  's3:ObjectTagging:*',
  's3:ObjectTagging:Put',
  's3:ObjectTagging:Delete',
  's3:ObjectAcl:Put',
]);

const KNOWN = new Set(S3_EVENT_TYPES);

export function isS3EventType(value: string): boolean {
  return KNOWN.has(value);
}

/**
 * Does a configured type (`s3:ObjectCreated:*`) match a record's event name
 * (`ObjectCreated:Put`, no prefix)? `*` is only ever the last character.
 */
export function eventTypeMatches(pattern: string, eventName: string): boolean {
  const name = `s3:${eventName}`;
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}
