/**
 * @module
 * X-Ray style trace ids. Lambda always hands the runtime one (runtimes copy it into
 * `_X_AMZN_TRACE_ID`); when the caller sent none, the platform makes one up.
 */
import { randomBytes } from 'node:crypto';

export function newTraceId(nowMs: number): string {
  const epoch = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}
