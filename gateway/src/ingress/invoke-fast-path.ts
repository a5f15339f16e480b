/**
 * @module
 * Invoke in front of Express. Invoke is the one route on the hot path, and Express's routing
 * (its request and response set-up, then every router before Invoke's) costs more than the
 * rest of admission on two cores. A request that is exactly `POST
 * /2015-03-31/functions/{name}/invocations` on the gateway's own host goes straight to the same
 * handler the Express route runs, with the same request-id and metrics steps and the same
 * error rendering (and the same signature check, when ACCESS_KEYS is set); anything else (another case or spelling of the path, a function URL's host,
 * a name that does not decode) is left to Express, so the two paths cannot disagree.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { authenticate, invokeBodyLimit } from '../auth/require-signature.js';
import type { ResolvedGatewayDeps } from '../deps.js';
import { sendError } from '../middleware/error-handler.js';
import { observeHttp } from '../middleware/http-metrics.js';
import { contextOf, withLocals } from '../middleware/request-context.js';
import { assignRequestId } from '../middleware/request-id.js';
import { handleInvoke, type InvokeAddress } from '../routes/invoke.js';
import { addressedUrl } from '../routes/url-ingress.js';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

/** The Invoke address of a request the fast path may take, or undefined for Express. */
export function fastInvokeAddress(req: IncomingMessage): InvokeAddress | undefined {
  if (req.method !== 'POST') return undefined;
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const match = INVOKE_PATH.exec(path);
  if (match?.[1] === undefined) return undefined;
  // A function URL's host owns every path, Invoke's included.
  if (addressedUrl(path, req.headers.host) !== undefined) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  // Repeated parameters count as their first value, as Express's query parser gives them.
  const qualifier = q < 0 ? undefined : new URLSearchParams(url.slice(q + 1)).get('Qualifier');
  return { name, qualifier: qualifier ?? undefined };
}

export function withInvokeFastPath(
  deps: ResolvedGatewayDeps,
  express: (req: IncomingMessage, res: ServerResponse) => void,
): RequestListener {
  const { signatures, settings } = deps;
  return (req, res) => {
    const address = fastInvokeAddress(req);
    if (address === undefined) {
      express(req, res);
      return;
    }
    const equipped = withLocals(res);
    assignRequestId(req, equipped, deps.logger, deps.newId);
    observeHttp(deps.metrics, req, equipped);
    contextOf(equipped).operation = 'Invoke';
    const invoked =
      signatures === null
        ? handleInvoke(deps, req, equipped, address)
        : authenticate(signatures, req, invokeBodyLimit(req, settings)).then((check) => {
            contextOf(equipped).signature = check;
            return handleInvoke(deps, req, equipped, address);
          });
    invoked.catch((err: unknown) => sendError(equipped, err, deps.logger));
  };
}
