/**
 * @module
 * An in-memory PolicyStore with the semantics of core's Redis store: one policy per function
 * and qualifier; a policy left without statements is gone.
 */
import type { ResourcePolicy } from '@lambdock/core';
import type { PolicyStore } from '../../src/deps.js';

export class MemoryPolicies implements PolicyStore {
  readonly policies = new Map<string, ResourcePolicy>();

  get(name: string, qualifier: string): Promise<ResourcePolicy | undefined> {
    return Promise.resolve(this.policies.get(`${name}:${qualifier}`));
  }

  /** async: a refusal thrown by `change` rejects, as the Redis store's does. */
  async update(
    name: string,
    qualifier: string,
    change: (current: ResourcePolicy | undefined) => ResourcePolicy | undefined,
  ): Promise<ResourcePolicy | undefined> {
    await Promise.resolve();
    const next = change(this.policies.get(`${name}:${qualifier}`));
    if (next === undefined || next.statements.length === 0) {
      this.policies.delete(`${name}:${qualifier}`);
      return undefined;
    }
    this.policies.set(`${name}:${qualifier}`, next);
    return next;
  }

  delete(name: string, qualifier: string): Promise<void> {
    this.policies.delete(`${name}:${qualifier}`);
    return Promise.resolve();
  }

  deleteAll(name: string): Promise<void> {
    for (const key of [...this.policies.keys()]) {
      if (key.startsWith(`${name}:`)) this.policies.delete(key);
    }
    return Promise.resolve();
  }
}
