/**
 * An in-memory LayerStore with the semantics of core's Redis store: numbers are never reused,
 * versions list newest first, a layer is listed while it has a version, a version's policy goes
 * with it, and its zip stays in the code store (the registry's, passed in).
 */
import type { AppError, LayerVersionRecord, NewLayerVersion, ResourcePolicy } from '@lambdock/core';
import type { LayerStore } from '../../src/deps.js';

export class MemoryLayers implements LayerStore {
  readonly versions = new Map<string, Map<number, LayerVersionRecord>>();
  readonly counters = new Map<string, number>();
  readonly policies = new Map<string, ResourcePolicy>();

  /** `code`: the registry's code store, which a layer's zip shares. */
  constructor(private readonly code: Map<string, Buffer>) {}

  async publish(layer: NewLayerVersion, bytes: Buffer): Promise<LayerVersionRecord> {
    await Promise.resolve();
    const version = (this.counters.get(layer.layerName) ?? 0) + 1;
    this.counters.set(layer.layerName, version);
    const record: LayerVersionRecord = { ...structuredClone(layer), version };
    this.code.set(layer.codeKey, bytes);
    let map = this.versions.get(layer.layerName);
    if (map === undefined)
      this.versions.set(layer.layerName, (map = new Map<number, LayerVersionRecord>()));
    map.set(version, record);
    return structuredClone(record);
  }

  get(layerName: string, version: number): Promise<LayerVersionRecord | undefined> {
    const record = this.versions.get(layerName)?.get(version);
    return Promise.resolve(record === undefined ? undefined : structuredClone(record));
  }

  listVersions(layerName: string): Promise<LayerVersionRecord[]> {
    const all = [...(this.versions.get(layerName)?.values() ?? [])];
    return Promise.resolve(
      all.sort((a, b) => b.version - a.version).map((r) => structuredClone(r)),
    );
  }

  names(): Promise<string[]> {
    const names = [...this.versions].filter(([, m]) => m.size > 0).map(([n]) => n);
    return Promise.resolve(names.sort());
  }

  delete(layerName: string, version: number): Promise<boolean> {
    this.policies.delete(`${layerName}:${version}`);
    return Promise.resolve(this.versions.get(layerName)?.delete(version) ?? false);
  }

  getPolicy(layerName: string, version: number): Promise<ResourcePolicy | undefined> {
    return Promise.resolve(this.policies.get(`${layerName}:${version}`));
  }

  async updatePolicy(
    layerName: string,
    version: number,
    change: (current: ResourcePolicy | undefined) => ResourcePolicy | undefined,
    notFound: () => AppError,
  ): Promise<ResourcePolicy | undefined> {
    await Promise.resolve();
    if (this.versions.get(layerName)?.get(version) === undefined) throw notFound();
    const key = `${layerName}:${version}`;
    const next = change(this.policies.get(key));
    if (next === undefined || next.statements.length === 0) {
      this.policies.delete(key);
      return undefined;
    }
    this.policies.set(key, next);
    return next;
  }
}
