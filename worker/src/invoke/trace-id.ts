/**
 * @module
 * X-Ray style trace ids. Lambda always hands the runtime one (runtimes copy it into
 * `_X_AMZN_TRACE_ID`); when the caller sent none, the platform makes one up.
 */
import { randomBytes } from 'node:crypto';

/** `random` supplies 20 bytes: 12 for the root id, 8 for the parent (one entropy call). */
export function newTraceId(nowMs: number, random: Buffer = randomBytes(20)): string {
  const epoch = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  const hex = random.toString('hex', 0, 20);
  return `Root=1-${epoch}-${hex.slice(0, 24)};Parent=${hex.slice(24, 40)};Sampled=0`;
}
