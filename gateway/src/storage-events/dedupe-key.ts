/**
 * @module
 * Senders retry: a persistent RGW topic re-posts until it gets a 2xx, MinIO replays its queue
 * directory. The dedupe key is equal for every delivery of one event and differs between events.
 * RGW's `eventId` is unique per event; other senders get a digest of the fields that identify an
 * event (the request id and sequencer differ between two writes of the same key).
 */
import { createHash } from 'node:crypto';

export interface EventIdentity {
  bucket: string;
  /** The decoded key, so the digest does not depend on how the sender encoded it. */
  key: string;
  /** Without the `s3:` prefix. */
  eventName: string;
  versionId?: string;
  sequencer?: string;
  requestId?: string;
  /** Ceph RGW's `eventId`. */
  eventId?: string;
}

/** SHA-256 over the identifying fields; a JSON array keeps the field boundaries unambiguous. */
export function eventDigest(identity: EventIdentity): Buffer {
  const fields = [
    identity.bucket,
    identity.key,
    identity.eventName,
    identity.versionId ?? '',
    identity.sequencer ?? '',
    identity.requestId ?? '',
  ];
  return createHash('sha256').update(JSON.stringify(fields), 'utf8').digest();
}

export function dedupeKey(identity: EventIdentity): string {
  if (identity.eventId !== undefined) return `eventId:${identity.eventId}`;
  return `sha256:${eventDigest(identity).toString('hex')}`;
}
