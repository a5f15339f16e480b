/**
 * @module
 * Where an async attempt runs. Lambda runs async events by having an internal poller invoke the
 * function synchronously, so its provisioned environments serve events before any on-demand
 * one; here the worker that took the event from the shared queue plays that poller: an idle
 * provisioned environment of its own first (no hop); else one it claims from another worker
 * exactly as a gateway claims one for a sync invoke (the Lua claim), run there through that
 * worker's direct queue (remote-attempt.ts); only when none is idle anywhere, on demand here
 * (spillover). A claim that lands on this worker's own environment runs here, on it.
 */
import type {
  FunctionRecord,
  Logger,
  ProvisionedClaim,
  ProvisionedOffersStore,
} from '@lambdock/core';
import type { ProvisionedPool } from '../invoke/provisioned-slots.js';
import { versionKey } from '../invoke/provisioned-slots.js';

export type AsyncRoute =
  /** Here: on the environment claimed here when named, else whatever the pool picks. */
  | { readonly kind: 'local'; readonly environmentId?: string }
  /** On another worker's idle provisioned environment, claimed for this attempt. */
  | { readonly kind: 'remote'; readonly claim: ProvisionedClaim };

/** What the pool says about the version (ProvisionedPool.provisionedHere). */
export interface ProvisionedView {
  /** The version has provisioned environments somewhere in the fleet. */
  readonly targeted: boolean;
  /** One of them is idle and offered on this worker. */
  readonly idle: boolean;
}

const LOCAL: AsyncRoute = Object.freeze({ kind: 'local' });

/** Only a claim can tell: the version is provisioned somewhere and nothing is idle here. */
export const needsClaim = (view: ProvisionedView): boolean => view.targeted && !view.idle;

/** The route once the claim (if one was needed) has answered. Pure. */
export function routeFor(
  view: ProvisionedView,
  claim: ProvisionedClaim | undefined,
  workerId: string,
): AsyncRoute {
  // Idle here, not provisioned at all, or idle nowhere (on demand, counted as spillover).
  if (!needsClaim(view) || claim === undefined) return LOCAL;
  if (claim.workerId === workerId) return { kind: 'local', environmentId: claim.environmentId };
  return { kind: 'remote', claim };
}

export interface AsyncRouterDeps {
  readonly pool: Pick<ProvisionedPool, 'provisionedHere'>;
  readonly offers: Pick<ProvisionedOffersStore, 'claim'>;
  readonly workerId: string;
  readonly logger: Logger;
}

export type AsyncRouter = (record: FunctionRecord, version: string) => Promise<AsyncRoute>;

export function createAsyncRouter(deps: AsyncRouterDeps): AsyncRouter {
  return async (record, version) => {
    const view = deps.pool.provisionedHere(record);
    if (!needsClaim(view)) return LOCAL;
    const claim = await deps.offers
      .claim(versionKey(record.name, version))
      .catch((err: unknown): undefined => {
        // Placement is an optimisation: the attempt still runs here.
        deps.logger.warn({ err, functionName: record.name }, 'provisioned claim failed');
        return undefined;
      });
    return routeFor(view, claim, deps.workerId);
  };
}
