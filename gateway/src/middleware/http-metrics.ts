/**
 * @module
 * Count and time every HTTP request, labelled by API operation (not path, which would carry
 * function names and ARNs), method and status.
 */
import type { RequestHandler } from 'express';
import type { GatewayMetrics } from '../metrics.js';
import { contextOf } from './request-context.js';

export function createHttpMetrics(metrics: GatewayMetrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    metrics.httpInFlight.inc();
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      metrics.httpInFlight.dec();
      const route = contextOf(res).operation ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ route, method: req.method, status: String(res.statusCode) });
      metrics.httpDuration.observe({ route, method: req.method }, seconds);
    };
    res.once('finish', finish);
    res.once('close', finish);
    next();
  };
}
