/**
 * @module
 * Deterministic ids for one tick of one rule. Every replica derives the same ids for tick T of
 * rule R, so a tick fired twice (leader failover) is recognisable downstream as the same one.
 * The ids are RFC 4122 version-5 UUIDs (SHA-1 of a namespace and `${ruleName}@${tickMs}`).
 */
import { createHash } from 'node:crypto';

/** Namespace of the invocation's request id. Fixed forever: changing it changes every id. */
export const TICK_REQUEST_NAMESPACE = '8487bc2a-d7d3-4126-a999-dce41134c8fd';
/** Namespace of the event's `id`, distinct so request and event ids never coincide. */
export const TICK_EVENT_NAMESPACE = '1f05ac5c-c755-4d7e-b377-d857b8d52236';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC 4122 section 4.3 name-based UUID, version 5 (SHA-1). */
export function uuidV5(namespace: string, name: string): string {
  if (!UUID.test(namespace)) throw new RangeError(`namespace '${namespace}' is not a UUID`);
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

/** The `awsRequestId` of the invocation for tick `tickMs` of rule `ruleName`. */
export function tickRequestId(ruleName: string, tickMs: number): string {
  return uuidV5(TICK_REQUEST_NAMESPACE, `${ruleName}@${tickMs}`);
}

/** The scheduled event's `id` for tick `tickMs` of rule `ruleName`. */
export function tickEventId(ruleName: string, tickMs: number): string {
  return uuidV5(TICK_EVENT_NAMESPACE, `${ruleName}@${tickMs}`);
}
