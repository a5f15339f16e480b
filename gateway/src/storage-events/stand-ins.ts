/**
 * @module
 * Values AWS always sends but some senders leave out or leave empty. Functions written for AWS
 * read these fields without checks, so each gets a well-formed stand-in. Values derived from the
 * event's digest are stable: every delivery of one event gets the same stand-ins.
 */

export const STAND_INS = Object.freeze({
  /**
   * Ceph RGW sends `""` (it does not report the client address). A loopback address parses as an
   * IP everywhere and claims nothing about the real client.
   */
  SOURCE_IP_ADDRESS: '127.0.0.1',
  /** AWS's principal for requests nobody signed. */
  PRINCIPAL_ID: 'anonymous',
  /** The notification configuration's id, when the sender names none. */
  CONFIGURATION_ID: 'lambdock-webhook',
});

/** 16 upper-case hex digits, the shape of AWS's `x-amz-request-id`. */
export function standInRequestId(digest: Buffer): string {
  return digest.subarray(0, 8).toString('hex').toUpperCase();
}

/** Base64, the shape of AWS's `x-amz-id-2`. */
export function standInHostId(digest: Buffer): string {
  return digest.toString('base64');
}

/**
 * Upper-case hex that grows with the event time, the way AWS sequencers order events on one key
 * (and as s3rver builds its own).
 */
export function standInSequencer(eventTime: string): string {
  return Date.parse(eventTime).toString(16).toUpperCase().padStart(16, '0');
}
