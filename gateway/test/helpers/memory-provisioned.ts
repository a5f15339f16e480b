/**
 * @module
 * An in-memory ProvisionedStore with the semantics of core's Redis store: configs and progress
 * keyed `name:qualifier`, listed in key order; deleting a config drops its progress.
 */
import type { ProvisionedConfig, ProvisionedProgress } from '@lambdock/core';
import type { ProvisionedStore } from '../../src/deps.js';

export class MemoryProvisioned implements ProvisionedStore {
  readonly configs = new Map<string, ProvisionedConfig>();
  readonly progress = new Map<string, ProvisionedProgress>();

  get(name: string, qualifier: string): Promise<ProvisionedConfig | undefined> {
    return Promise.resolve(this.configs.get(`${name}:${qualifier}`));
  }

  put(config: ProvisionedConfig): Promise<void> {
    this.configs.set(`${config.functionName}:${config.qualifier}`, config);
    return Promise.resolve();
  }

  delete(name: string, qualifier: string): Promise<boolean> {
    this.progress.delete(`${name}:${qualifier}`);
    return Promise.resolve(this.configs.delete(`${name}:${qualifier}`));
  }

  list(name?: string): Promise<ProvisionedConfig[]> {
    const keys = [...this.configs.keys()]
      .filter((k) => name === undefined || k.startsWith(`${name}:`))
      .sort();
    return Promise.resolve(keys.map((k) => this.configs.get(k) as ProvisionedConfig));
  }

  getProgress(name: string, qualifier: string): Promise<ProvisionedProgress | undefined> {
    return Promise.resolve(this.progress.get(`${name}:${qualifier}`));
  }
}
