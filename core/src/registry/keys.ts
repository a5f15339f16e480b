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
  replyChannel(gatewayId: string): string;
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
    replyChannel: (gatewayId: string) => `${prefix}:reply:${gatewayId}`,
  });
}
