/**
 * @module
 * Count and time every HTTP request, labelled by API operation (not path, which would carry
 * function names and ARNs), method and status.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { GatewayMetrics } from '../metrics.js';
import { contextOf, type ContextResponse } from './request-context.js';

/** Count one request and time it until its response is done or its connection gone. */
export function observeHttp(
  metrics: GatewayMetrics,
  req: IncomingMessage,
  res: ContextResponse,
): void {
  const started = process.hrtime.bigint();
  metrics.httpInFlight.inc();
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    metrics.httpInFlight.dec();
    const route = contextOf(res).operation ?? 'unmatched';
    const method = req.method ?? 'GET';
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.httpRequests.inc({ route, method, status: String(res.statusCode) });
    metrics.httpDuration.observe({ route, method }, seconds);
  };
  res.once('finish', finish);
  res.once('close', finish);
}

export function createHttpMetrics(metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    observeHttp(metrics, req, res);
    next();
  };
}
