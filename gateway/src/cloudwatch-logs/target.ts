/**
 * @module
 * How a CloudWatch Logs API request is recognised: AWS's JSON protocol posts every operation
 * to `/`, naming it in `X-Amz-Target: Logs_20140328.<Operation>`. Point a logs client at the
 * gateway (`aws logs ... --endpoint-url`) and it lands here.
 */
import type { IncomingMessage } from 'node:http';

export const LOGS_TARGET_PREFIX = 'Logs_20140328.';
/** The service a logs client signs for (SigV4 credential scope). */
export const LOGS_SIGNING_SERVICE = 'logs';

/** The operation a logs request names; undefined for any other request. */
export function logsOperationOf(req: IncomingMessage, path: string): string | undefined {
  if (req.method !== 'POST' || path !== '/') return undefined;
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' && target.startsWith(LOGS_TARGET_PREFIX)
    ? target.slice(LOGS_TARGET_PREFIX.length)
    : undefined;
}
