/**
 * @module
 * X-Ray style trace ids. Lambda always hands the runtime one (runtimes copy it into
 * `_X_AMZN_TRACE_ID`); when the caller sent none, the platform makes one up.
 */
import { randomFillSync } from 'node:crypto';

/** Random bytes per id: 12 for the root id, 8 for the parent. */
export const TRACE_ID_RANDOM_BYTES = 20;

/** Ids per refill of a source's pool: one entropy call serves this many invocations. */
const IDS_PER_FILL = 256;

/** The id for `nowMs` from the 20 random bytes of `random` at `offset`. */
export function newTraceId(nowMs: number, random: Buffer, offset = 0): string {
  const epoch = Math.floor(nowMs / 1000)
    .toString(16)
    .padStart(8, '0');
  const hex = random.toString('hex', offset, offset + TRACE_ID_RANDOM_BYTES);
  return `Root=1-${epoch}-${hex.slice(0, 24)};Parent=${hex.slice(24, 40)};Sampled=0`;
}

/** Makes one trace id per call. */
export type TraceIdSource = (nowMs: number) => string;

/**
 * A source that draws its random bytes from a pool it refills with `fill` every
 * {@link IDS_PER_FILL} ids: an entropy call per invocation cost the worker more than the rest of
 * the id's making.
 */
export function createTraceIdSource(
  fill: (pool: Buffer) => void = (pool) => randomFillSync(pool),
): TraceIdSource {
  const pool = Buffer.alloc(TRACE_ID_RANDOM_BYTES * IDS_PER_FILL);
  let offset = pool.length;
  return (nowMs) => {
    if (offset === pool.length) {
      fill(pool);
      offset = 0;
    }
    const id = newTraceId(nowMs, pool, offset);
    offset += TRACE_ID_RANDOM_BYTES;
    return id;
  };
}
