/**
 * @module
 * Schedule rule management under `/lambdock/v1/schedules`: create, list, get (with the next and
 * last fire times), update, delete. The scheduler replicas pick changes up on their next pass.
 */
import { Router, type Request } from 'express';
import { AppError, ERRORS } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import {
  newScheduleRecord,
  readScheduleFields,
  readScheduleName,
  renderSchedule,
} from '../sources/schedule-input.js';
import { bodyObject } from '../sources/target-input.js';
import { LAMBDOCK_API } from './route-config.js';

function nameParam(req: Request): string {
  return typeof req.params.name === 'string' ? req.params.name : '';
}

function notFound(name: string): AppError {
  return new AppError(ERRORS.RESOURCE_NOT_FOUND, `Schedule ${name} does not exist.`);
}

export function createScheduleConfigRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const { stores, scheduleStates } = deps.sources;
  const ctx = deps.settings;

  router.post(
    `${LAMBDOCK_API}/schedules`,
    operation('CreateSchedule'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const body = bodyObject(req.body);
      const name = readScheduleName(typeof body.Name === 'string' ? body.Name : '');
      const rule = newScheduleRecord(name, readScheduleFields(body, ctx), 'api', deps.now());
      if (!(await stores.schedules.create(name, rule)))
        throw new AppError(ERRORS.SOURCE_CONFLICT, `Schedule ${name} already exists.`);
      res.status(201).json(renderSchedule(rule, undefined, ctx, deps.now()));
    },
  );

  router.get(`${LAMBDOCK_API}/schedules`, operation('ListSchedules'), async (_req, res) => {
    const [rules, states] = await Promise.all([stores.schedules.list(), scheduleStates.all()]);
    const now = deps.now();
    res.json({ Items: rules.map((r) => renderSchedule(r, states.get(r.name), ctx, now)) });
  });

  router.get(`${LAMBDOCK_API}/schedules/:name`, operation('GetSchedule'), async (req, res) => {
    const name = nameParam(req);
    const [rule, state] = await Promise.all([stores.schedules.get(name), scheduleStates.get(name)]);
    if (rule === undefined) throw notFound(name);
    res.json(renderSchedule(rule, state, ctx, deps.now()));
  });

  router.patch(
    `${LAMBDOCK_API}/schedules/:name`,
    operation('UpdateSchedule'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const name = nameParam(req);
      const body = bodyObject(req.body);
      const updated = await stores.schedules.update(name, (current) => ({
        ...newScheduleRecord(
          name,
          readScheduleFields(body, ctx, current),
          'api',
          current.createdAtMs,
        ),
      }));
      if (updated === undefined) throw notFound(name);
      res.json(renderSchedule(updated, await scheduleStates.get(name), ctx, deps.now()));
    },
  );

  router.delete(
    `${LAMBDOCK_API}/schedules/:name`,
    operation('DeleteSchedule'),
    async (req, res) => {
      const name = nameParam(req);
      if (!(await stores.schedules.delete(name))) throw notFound(name);
      await scheduleStates.delete(name);
      res.status(204).end();
    },
  );

  return router;
}
