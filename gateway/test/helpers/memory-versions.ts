/**
 * An in-memory VersionStore with the semantics of core's Redis VersionRegistry: numbers are
 * never reused, publishing an unchanged definition returns the newest version, aliases are
 * created once and updated atomically, and qualifiers resolve through core's resolveQualifier.
 */
import {
  contentDigest,
  resolveQualifier,
  type AliasRecord,
  type FunctionRecord,
  type PublishOptions,
  type Resolved,
} from '@lambdock/core';
import type { VersionStore } from '../../src/deps.js';

export class MemoryVersions implements VersionStore {
  /** name → version → record. */
  readonly versions = new Map<string, Map<string, FunctionRecord>>();
  readonly counters = new Map<string, number>();
  /** name → alias → record. */
  readonly aliases = new Map<string, Map<string, AliasRecord>>();

  private of(name: string): Map<string, FunctionRecord> {
    let map = this.versions.get(name);
    if (map === undefined) this.versions.set(name, (map = new Map<string, FunctionRecord>()));
    return map;
  }

  private aliasesOf(name: string): Map<string, AliasRecord> {
    let map = this.aliases.get(name);
    if (map === undefined) this.aliases.set(name, (map = new Map<string, AliasRecord>()));
    return map;
  }

  async getVersion(name: string, version: string): Promise<FunctionRecord | undefined> {
    const record = this.versions.get(name)?.get(version);
    return record === undefined ? undefined : structuredClone(record);
  }

  async listVersions(name: string): Promise<FunctionRecord[]> {
    return [...this.of(name).values()]
      .sort((a, b) => Number(a.version) - Number(b.version))
      .map((r) => structuredClone(r));
  }

  async publish(
    latest: FunctionRecord,
    options: PublishOptions,
  ): Promise<{ record: FunctionRecord; created: boolean }> {
    const all = await this.listVersions(latest.name);
    const newest = all[all.length - 1];
    if (newest !== undefined && contentDigest(newest) === contentDigest(latest))
      return { record: newest, created: false };
    const number = (this.counters.get(latest.name) ?? 0) + 1;
    this.counters.set(latest.name, number);
    const record: FunctionRecord = {
      ...structuredClone(latest),
      version: String(number),
      description: options.description ?? latest.description,
      revisionId: options.revisionId,
      lastModified: options.lastModified,
      state: 'Active',
      lastUpdateStatus: 'Successful',
    };
    this.of(latest.name).set(String(number), structuredClone(record));
    return { record, created: true };
  }

  async deleteVersion(name: string, version: string): Promise<boolean> {
    return this.of(name).delete(version);
  }

  async deleteAll(name: string): Promise<void> {
    this.versions.delete(name);
    this.counters.delete(name);
    this.aliases.delete(name);
  }

  async getAlias(name: string, alias: string): Promise<AliasRecord | undefined> {
    const record = this.aliases.get(name)?.get(alias);
    return record === undefined ? undefined : structuredClone(record);
  }

  async listAliases(name: string): Promise<AliasRecord[]> {
    return [...this.aliasesOf(name).values()]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((a) => structuredClone(a));
  }

  async createAlias(alias: AliasRecord): Promise<boolean> {
    const map = this.aliasesOf(alias.functionName);
    if (map.has(alias.name)) return false;
    map.set(alias.name, structuredClone(alias));
    return true;
  }

  async updateAlias(
    name: string,
    alias: string,
    change: (current: AliasRecord) => AliasRecord,
  ): Promise<AliasRecord | undefined> {
    const current = this.aliases.get(name)?.get(alias);
    if (current === undefined) return undefined;
    const next = change(structuredClone(current));
    this.aliasesOf(name).set(alias, structuredClone(next));
    return next;
  }

  async deleteAlias(name: string, alias: string): Promise<boolean> {
    return this.aliasesOf(name).delete(alias);
  }

  resolve(
    latest: () => Promise<FunctionRecord | undefined>,
    name: string,
    qualifier: string | undefined,
    random: () => number = Math.random,
  ): Promise<Resolved | undefined> {
    return resolveQualifier(this, latest, name, qualifier, random);
  }
}
