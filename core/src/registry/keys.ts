/**
 * @module
 * Every Redis key lambdock uses, built from one prefix so several stacks can share a Redis.
 */

export interface RedisKeys {
  readonly prefix: string;
  function(name: string): string;
  readonly functionNames: string;
  code(hexSha: string): string;
  readonly reservedConcurrency: string;
  functionLeases(name: string): string;
  readonly unreservedLeases: string;
  readonly workers: string;
  logs(name: string): string;
  /** Sorted set: a function's log streams (one per environment), scored by their last event. */
  logStreams(name: string): string;
  /** Hash: a function's log streams' first event times (epoch ms). */
  logStreamStarts(name: string): string;
  replyChannel(gatewayId: string): string;
  /**
   * A worker's own reply channel: replies to the async attempts it sent to another worker's
   * provisioned environment.
   */
  workerReplyChannel(workerId: string): string;
  /**
   * String: the reply a worker published for one sync job (by job id), kept until its sender
   * has stopped waiting (queue/reply-copies.ts).
   */
  replyCopy(jobId: string): string;
  /** A published version's immutable record. */
  functionVersion(name: string, version: string): string;
  /** Published version numbers of a function (sorted set scored by number). */
  functionVersions(name: string): string;
  /** The last version number handed out (numbers are never reused). */
  versionCounter(name: string): string;
  /** Alias name → alias record. */
  aliases(name: string): string;
  /** Qualifier (`""`: the function itself) → resource-based policy (registry/policy-store.ts). */
  policies(name: string): string;
  /** One hash per event-source kind (routes, urls, schedules, webhooks, triggers). */
  sources(kind: string): string;
  /** Bumped on every event-source change. */
  readonly sourcesVersion: string;
  /** Per schedule: the last tick fired and when. */
  readonly scheduleState: string;
  /** The scheduler replica allowed to fire (a lock with a TTL). */
  readonly schedulerLeader: string;
  /** Marks one delivery as taken, so a replay invokes nothing (storage webhooks). */
  delivery(id: string): string;
  /** A layer version's immutable record (registry/layer-store.ts). */
  layerVersion(name: string, version: number): string;
  /** Version numbers of a layer that exist (sorted set scored by number). */
  layerVersions(name: string): string;
  /** The last version number a layer handed out (numbers are never reused). */
  layerCounter(name: string): string;
  /** Names of the layers with at least one version (sorted set, all scores 0). */
  readonly layerNames: string;
  /** A layer version's resource-based policy. */
  layerPolicy(name: string, version: number): string;
}

export function createKeys(prefix: string): RedisKeys {
  return Object.freeze({
    prefix,
    function: (name: string) => `${prefix}:fn:${name}`,
    functionNames: `${prefix}:fnames`,
    code: (hexSha: string) => `${prefix}:code:${hexSha}`,
    reservedConcurrency: `${prefix}:reserved`,
    functionLeases: (name: string) => `${prefix}:lease:fn:${name}`,
    unreservedLeases: `${prefix}:lease:unreserved`,
    workers: `${prefix}:workers`,
    logs: (name: string) => `${prefix}:logs:${name}`,
    logStreams: (name: string) => `${prefix}:logstreams:${name}`,
    logStreamStarts: (name: string) => `${prefix}:logstarts:${name}`,
    replyChannel: (gatewayId: string) => `${prefix}:reply:${gatewayId}`,
    workerReplyChannel: (workerId: string) => `${prefix}:wreply:${workerId}`,
    replyCopy: (jobId: string) => `${prefix}:replied:${jobId}`,
    functionVersion: (name: string, version: string) => `${prefix}:fnv:${name}:${version}`,
    functionVersions: (name: string) => `${prefix}:fnvs:${name}`,
    versionCounter: (name: string) => `${prefix}:fnvc:${name}`,
    aliases: (name: string) => `${prefix}:alias:${name}`,
    policies: (name: string) => `${prefix}:policy:${name}`,
    sources: (kind: string) => `${prefix}:src:${kind}`,
    sourcesVersion: `${prefix}:src:version`,
    scheduleState: `${prefix}:sched:state`,
    schedulerLeader: `${prefix}:sched:leader`,
    delivery: (id: string) => `${prefix}:delivery:${id}`,
    layerVersion: (name: string, version: number) => `${prefix}:lyv:${name}:${version}`,
    layerVersions: (name: string) => `${prefix}:lyvs:${name}`,
    layerCounter: (name: string) => `${prefix}:lyc:${name}`,
    layerNames: `${prefix}:lynames`,
    layerPolicy: (name: string, version: number) => `${prefix}:lyp:${name}:${version}`,
  });
}
