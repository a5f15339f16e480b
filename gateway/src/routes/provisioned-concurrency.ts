/**
 * @module
 * Provisioned concurrency: Put (202, IN_PROGRESS), Get, Delete (204, also when the version or
 * alias has no config) and List (`?List=ALL`), on AWS's `/2019-09-30` paths. The gateway only
 * stores what was asked for; the provisioning worker starts the environments and reports
 * progress, which Get merges in (see docs/ARCHITECTURE.md).
 */
import { Router, type Request, type Response } from 'express';
import {
  AppError,
  CONSTRAINTS,
  ERRORS,
  constraintMessage,
  formatLastModified,
  functionArn,
  provisionedView,
  validationError,
  type ProvisionedConfig,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { isObject } from '../functions/field-readers.js';
import { loadFunction, parseNameParam, queryParam } from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { contextOf } from '../middleware/request-context.js';
import { pageOf } from '../versions/page.js';
import { checkNoOverlap, provisionedTarget } from '../versions/provisioned-target.js';

const PATH = '/2019-09-30/functions/:name/provisioned-concurrency';
const FIELD = 'provisionedConcurrentExecutions';

function readRequested(body: unknown): number {
  const value = isObject(body) ? body.ProvisionedConcurrentExecutions : undefined;
  if (value === undefined || value === null) {
    throw validationError([constraintMessage(FIELD, null, CONSTRAINTS.notNull)]);
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw validationError([
      constraintMessage(FIELD, JSON.stringify(value), 'Member must be an integer'),
    ]);
  }
  if (value < 1) throw validationError([constraintMessage(FIELD, value, CONSTRAINTS.minValue(1))]);
  return value;
}

const notFound = (): AppError =>
  new AppError(
    ERRORS.PROVISIONED_CONFIG_NOT_FOUND,
    'No Provisioned Concurrency Config found for this function',
  );

/**
 * Provisioned environments count against the function's concurrency: within its reservation
 * when it has one, else within the account's unreserved pool (AWS's two messages).
 */
async function checkLimits(
  deps: ResolvedGatewayDeps,
  name: string,
  qualifier: string,
  requested: number,
): Promise<void> {
  const [reserved, totalReserved, configs] = await Promise.all([
    deps.registry.getReservedConcurrency(name),
    deps.registry.totalReserved(),
    deps.provisioned.list(name),
  ]);
  const others = configs
    .filter((c) => c.qualifier !== qualifier)
    .reduce((sum, c) => sum + c.requested, 0);
  if (reserved !== undefined) {
    if (others + requested > reserved) {
      throw new AppError(
        ERRORS.INVALID_PARAMETER,
        'Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function',
      );
    }
    return;
  }
  const unreserved = deps.settings.accountConcurrency - totalReserved;
  if (others + requested > unreserved) {
    throw new AppError(
      ERRORS.PROVISIONED_OVER_ACCOUNT,
      `Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [${unreserved}].`,
    );
  }
}

export function createProvisionedConcurrencyRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;
  const target = (req: Request) => parseNameParam(req, 'manage', ctx);
  const viewOf = async (config: ProvisionedConfig) =>
    provisionedView(
      config,
      await deps.provisioned.getProgress(config.functionName, config.qualifier),
    );

  router.put(
    PATH,
    operation('PutProvisionedConcurrencyConfig'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const { name, qualifier } = target(req);
      const requested = readRequested(req.body);
      const version = await provisionedTarget(deps, name, qualifier, 'put');
      const q = qualifier ?? version;
      await checkNoOverlap(deps, name, q, version);
      await checkLimits(deps, name, q, requested);
      const config: ProvisionedConfig = {
        functionName: name,
        qualifier: q,
        requested,
        lastModified: formatLastModified(deps.now()),
      };
      await deps.provisioned.put(config);
      res.status(202).json(provisionedView(config, undefined));
    },
  );

  const get = async (req: Request, res: Response): Promise<void> => {
    const { name, qualifier } = target(req);
    await provisionedTarget(deps, name, qualifier, 'get');
    const config = await deps.provisioned.get(name, qualifier ?? '');
    if (config === undefined) throw notFound();
    res.json(await viewOf(config));
  };

  const list = async (req: Request, res: Response): Promise<void> => {
    const { name } = target(req);
    await loadFunction(deps.registry, ctx, name);
    const all = await deps.provisioned.list(name);
    const page = pageOf(all, (c) => c.qualifier, {
      maxItems: queryParam(req, 'MaxItems'),
      marker: queryParam(req, 'Marker'),
    });
    const items = await Promise.all(
      page.items.map(async (c) => ({
        FunctionArn: functionArn(ctx, name, c.qualifier),
        ...(await viewOf(c)),
      })),
    );
    res.json({
      ProvisionedConcurrencyConfigs: items,
      ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
    });
  };

  // Get and List share the path; `?List=ALL` tells them apart.
  router.get(PATH, async (req, res) => {
    const listing = queryParam(req, 'List') !== undefined;
    contextOf(res).operation = listing
      ? 'ListProvisionedConcurrencyConfigs'
      : 'GetProvisionedConcurrencyConfig';
    await (listing ? list(req, res) : get(req, res));
  });

  router.delete(PATH, operation('DeleteProvisionedConcurrencyConfig'), async (req, res) => {
    const { name, qualifier } = target(req);
    await provisionedTarget(deps, name, qualifier, 'delete');
    await deps.provisioned.delete(name, qualifier ?? '');
    res.status(204).end();
  });

  return router;
}
