/**
 * @module
 * Provisioned concurrency configs as stored and as AWS reports them. The gateway writes what
 * was asked for; the worker holding the provisioning lock writes what the fleet has ready,
 * tagged with the count it worked towards, so a newer Put is never reported READY on the
 * strength of an older count.
 */

export type ProvisionedStatus = 'IN_PROGRESS' | 'READY' | 'FAILED';

/** What PutProvisionedConcurrencyConfig stored. */
export interface ProvisionedConfig {
  readonly functionName: string;
  /** A published version or an alias, never `$LATEST`. */
  readonly qualifier: string;
  readonly requested: number;
  /** ISO-8601, as AWS reports LastModified. */
  readonly lastModified: string;
}

/** What the provisioning lock holder last reported for a config. */
export interface ProvisionedProgress {
  /** The requested count this progress was measured against. */
  readonly requested: number;
  /** Environments initialized and kept ready. */
  readonly allocated: number;
  readonly status: ProvisionedStatus;
  readonly reason?: string;
}

/** The body of Get (and each entry of List, which adds FunctionArn). */
export interface ProvisionedConfigView {
  RequestedProvisionedConcurrentExecutions: number;
  AvailableProvisionedConcurrentExecutions: number;
  AllocatedProvisionedConcurrentExecutions: number;
  Status: ProvisionedStatus;
  StatusReason?: string;
  LastModified: string;
}

/** AWS's view of a config: IN_PROGRESS until progress for this very count says otherwise. */
export function provisionedView(
  config: ProvisionedConfig,
  progress: ProvisionedProgress | undefined,
): ProvisionedConfigView {
  const current = progress !== undefined && progress.requested === config.requested;
  const allocated = current ? Math.min(progress.allocated, config.requested) : 0;
  const view: ProvisionedConfigView = {
    RequestedProvisionedConcurrentExecutions: config.requested,
    AvailableProvisionedConcurrentExecutions: allocated,
    AllocatedProvisionedConcurrentExecutions: allocated,
    Status: current ? progress.status : 'IN_PROGRESS',
    LastModified: config.lastModified,
  };
  if (current && progress.reason !== undefined) view.StatusReason = progress.reason;
  return view;
}

/** AWS's reason when the function's init fails in a provisioned environment. */
export const INIT_FAILURE_REASON = 'FUNCTION_ERROR_INIT_FAILURE';

/** The reason when a worker's pool has no room left for its share of a config's environments. */
export const CAPACITY_REASON =
  'Insufficient capacity: a worker has no room for its share of the provisioned environments (WORKER_MAX_ENVIRONMENTS, WORKER_MEMORY_BUDGET_MB); tried again as room frees up.';

/**
 * READY once every requested environment is up. FAILED when an init failed and none is up, or
 * when a worker has no room for its share, however many are up (they stay, and the config
 * turns READY if room frees up). IN_PROGRESS otherwise.
 */
export function progressFor(
  requested: number,
  allocated: number,
  failure: string | undefined,
): ProvisionedProgress {
  if (allocated >= requested) return { requested, allocated, status: 'READY' };
  if (failure !== undefined && (allocated === 0 || failure === CAPACITY_REASON))
    return { requested, allocated, status: 'FAILED', reason: failure };
  return { requested, allocated, status: 'IN_PROGRESS' };
}
