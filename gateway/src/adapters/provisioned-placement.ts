/**
 * @module
 * Sync invocations of a version with provisioned concurrency go to an idle provisioned
 * environment when one is free anywhere in the fleet: the gateway claims it atomically and
 * queues the job to its worker. Which versions have provisioned environments is cached here
 * and refreshed in the background, so an invocation of anything else costs no Redis call at
 * all; only a version in the cache pays the one claim.
 */
import {
  isVersionNumber,
  type Logger,
  type ProvisionedClaim,
  type ProvisionedOffersStore,
} from '@lambdock/core';
import { failFast } from './fail-fast.js';

export interface ProvisionedPlacement {
  /** True when the version has provisioned environments (from the cache: no Redis call). */
  covers(functionName: string, version: string): boolean;
  /** Claim an idle provisioned environment of the version; undefined: none (or no provisioning). */
  claim(functionName: string, version: string): Promise<ProvisionedClaim | undefined>;
  /** Stop refreshing. */
  close(): void;
}

export interface ProvisionedPlacementOptions {
  store: Pick<ProvisionedOffersStore, 'claim' | 'targets'>;
  refreshMs: number;
  timeoutMs: number;
  logger: Logger;
}

export function createProvisionedPlacement(
  options: ProvisionedPlacementOptions,
): ProvisionedPlacement {
  const { store, timeoutMs, logger } = options;
  let targets: ReadonlySet<string> = new Set();
  let refreshing = false;
  const refresh = async (): Promise<void> => {
    if (refreshing) return;
    refreshing = true;
    try {
      targets = await failFast(store.targets(), timeoutMs);
    } catch (err) {
      // Keep the last answer: placement is an optimisation, the shared queue always works.
      logger.debug({ err }, 'provisioned targets not refreshed');
    } finally {
      refreshing = false;
    }
  };
  void refresh();
  const timer = setInterval(() => void refresh(), options.refreshMs);
  timer.unref();
  const covers = (functionName: string, version: string): boolean =>
    isVersionNumber(version) && targets.has(`${functionName}:${version}`);
  return {
    covers,
    async claim(functionName, version) {
      return covers(functionName, version) ? store.claim(`${functionName}:${version}`) : undefined;
    },
    close: () => clearInterval(timer),
  };
}
