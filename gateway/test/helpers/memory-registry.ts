/**
 * An in-memory FunctionStore with the semantics of core's Redis FunctionRegistry (name order,
 * markers, NX create, atomic update, reservations removed with the function).
 */
import { AppError, ERRORS, type FunctionRecord, type ListPage } from '@lambdock/core';
import type { FunctionStore } from '../../src/deps.js';

export class MemoryRegistry implements FunctionStore {
  readonly records = new Map<string, FunctionRecord>();
  readonly code = new Map<string, Buffer>();
  readonly reserved = new Map<string, number>();

  async create(record: FunctionRecord, code?: Buffer): Promise<void> {
    if (code !== undefined && record.codeKey !== undefined) this.code.set(record.codeKey, code);
    if (this.records.has(record.name)) {
      throw new AppError(ERRORS.FUNCTION_EXISTS, `Function already exist: ${record.name}`);
    }
    this.records.set(record.name, structuredClone(record));
  }

  async get(name: string): Promise<FunctionRecord | undefined> {
    const record = this.records.get(name);
    return record === undefined ? undefined : structuredClone(record);
  }

  async list(maxItems: number, marker?: string): Promise<ListPage> {
    const names = [...this.records.keys()].sort().filter((n) => marker === undefined || n > marker);
    const page = names.slice(0, maxItems);
    const items = page.map((n) => structuredClone(this.records.get(n) as FunctionRecord));
    const last = page[page.length - 1];
    return names.length > maxItems && last !== undefined ? { items, nextMarker: last } : { items };
  }

  async update(
    name: string,
    mutate: (current: FunctionRecord) => FunctionRecord,
    code?: { key: string; bytes: Buffer },
  ): Promise<FunctionRecord> {
    if (code !== undefined) this.code.set(code.key, code.bytes);
    const current = this.records.get(name);
    if (current === undefined)
      throw new AppError(ERRORS.FUNCTION_NOT_FOUND, `Function not found: ${name}`);
    const next = mutate(structuredClone(current));
    this.records.set(name, structuredClone(next));
    return next;
  }

  async delete(name: string): Promise<boolean> {
    this.reserved.delete(name);
    return this.records.delete(name);
  }

  async getCode(hexSha: string): Promise<Buffer | undefined> {
    return this.code.get(hexSha);
  }

  async count(): Promise<number> {
    return this.records.size;
  }

  async getReservedConcurrency(name: string): Promise<number | undefined> {
    return this.reserved.get(name);
  }

  async putReservedConcurrency(name: string, value: number): Promise<void> {
    this.reserved.set(name, value);
  }

  async deleteReservedConcurrency(name: string): Promise<void> {
    this.reserved.delete(name);
  }

  async totalReserved(): Promise<number> {
    return [...this.reserved.values()].reduce((a, b) => a + b, 0);
  }
}
