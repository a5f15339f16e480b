/**
 * @module
 * HTTP route management under `/lambdock/v1/routes`: create, list, get, update, delete. A new
 * or changed route is checked against every stored route (same method and path shape is a
 * conflict); the change is live on this gateway at once and on the others within the sources
 * refresh interval.
 */
import { Router, type Request } from 'express';
import { AppError, ERRORS, type RouteRecord } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { compileRouteTable } from '../http-events/route-table.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { newRouteRecord, readRouteFields, renderRoute } from '../sources/route-input.js';
import { bodyObject } from '../sources/target-input.js';

export const LAMBDOCK_API = '/lambdock/v1';

function routeNotFound(id: string): AppError {
  return new AppError(ERRORS.RESOURCE_NOT_FOUND, `Route not found: ${id}`);
}

function idParam(req: Request): string {
  return typeof req.params.id === 'string' ? req.params.id : '';
}

/** Refuse a route table that would not compile with `candidate` in place of its old self. */
function assertFits(existing: readonly RouteRecord[], candidate: RouteRecord): void {
  const others = existing.filter((r) => r.routeId !== candidate.routeId);
  const table = compileRouteTable(
    [...others, candidate].map((r) => ({ routeKey: r.routeKey, target: r.routeId })),
  );
  if (!table.ok) throw new AppError(ERRORS.SOURCE_CONFLICT, table.problems.join('; '));
}

export function createRouteConfigRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const { stores, view } = deps.sources;
  const ctx = deps.settings;
  const newRouteId = (): string => deps.newId().replace(/-/g, '').slice(0, 7);

  router.post(
    `${LAMBDOCK_API}/routes`,
    operation('CreateRoute'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const fields = readRouteFields(bodyObject(req.body), ctx);
      const record = newRouteRecord(
        fields,
        newRouteId(),
        'api',
        new Date(deps.now()).toISOString(),
      );
      assertFits(await stores.routes.list(), record);
      if (!(await stores.routes.create(record.routeId, record)))
        throw new AppError(ERRORS.SOURCE_CONFLICT, `Route ${record.routeId} already exists`);
      view.invalidate();
      res.status(201).json(renderRoute(record));
    },
  );

  router.get(`${LAMBDOCK_API}/routes`, operation('ListRoutes'), async (_req, res) => {
    const routes = await stores.routes.list();
    res.json({ Items: routes.map(renderRoute) });
  });

  router.get(`${LAMBDOCK_API}/routes/:id`, operation('GetRoute'), async (req, res) => {
    const route = await stores.routes.get(idParam(req));
    if (route === undefined) throw routeNotFound(idParam(req));
    res.json(renderRoute(route));
  });

  router.patch(
    `${LAMBDOCK_API}/routes/:id`,
    operation('UpdateRoute'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const id = idParam(req);
      const body = bodyObject(req.body);
      const existing = await stores.routes.list();
      const updated = await stores.routes.update(id, (current) => {
        const next: RouteRecord = {
          ...newRouteRecord(
            readRouteFields(body, ctx, current),
            current.routeId,
            'api',
            current.createdAt,
          ),
        };
        assertFits(existing, next);
        return next;
      });
      if (updated === undefined) throw routeNotFound(id);
      view.invalidate();
      res.json(renderRoute(updated));
    },
  );

  router.delete(`${LAMBDOCK_API}/routes/:id`, operation('DeleteRoute'), async (req, res) => {
    if (!(await stores.routes.delete(idParam(req)))) throw routeNotFound(idParam(req));
    view.invalidate();
    res.status(204).end();
  });

  return router;
}
