/**
 * @module
 * Deterministic ids for what an async invocation sends on: the same source request, target
 * kind and condition always give the same id, so a redelivered job (worker crash, lost lock)
 * adds no second job or queue message. Shaped as a UUID because it becomes the request id of
 * the destination function's invocation.
 */
import { createHash } from 'node:crypto';

export type DeliveryKind = 'OnSuccess' | 'OnFailure' | 'DeadLetter';

export function deliveryId(sourceRequestId: string, kind: DeliveryKind, condition: string): string {
  const hex = createHash('sha256')
    .update(`lambdock-delivery:${sourceRequestId}:${kind}:${condition}`)
    .digest('hex');
  // Version nibble 5 and the RFC 4122 variant, as a name-based UUID has.
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `5${hex.slice(13, 16)}`,
    `${variant}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
