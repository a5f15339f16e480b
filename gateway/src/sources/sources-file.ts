/**
 * @module
 * The declarative sources file (`SOURCES_FILE`): routes, schedules, webhooks and storage
 * triggers kept in git and applied at every gateway start. Every entry is read with the same
 * readers as the API, and the whole file is checked before anything is written: one bad entry
 * stops the start with every problem listed, and nothing is half-applied. Records the file owns
 * (`ManagedBy: file`) that are no longer in it are deleted; records made through the API are
 * left alone, and a route of the file that conflicts with one of them is an error.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  ConfigError,
  type ArnContext,
  type RouteRecord,
  type ScheduleRecord,
  type TriggerRecord,
  type WebhookRecord,
} from '@lambdock/core';
import { compileRouteTable } from '../http-events/route-table.js';
import { newRouteRecord, readRouteFields } from './route-input.js';
import { newScheduleRecord, readScheduleFields, readScheduleName } from './schedule-input.js';
import type { SourceStores } from './source-view.js';
import { newWebhookRecord, readSecret, readTrigger, readWebhookName } from './storage-input.js';
import { bodyObject } from './target-input.js';

export interface SourcesFileContext {
  ctx: ArnContext;
  env: Readonly<Record<string, string | undefined>>;
  nowMs: number;
}

interface Planned {
  routes: RouteRecord[];
  schedules: ScheduleRecord[];
  webhooks: WebhookRecord[];
  triggers: TriggerRecord[];
}

const SECTIONS = ['routes', 'schedules', 'webhooks', 'storageTriggers'] as const;

function entries(
  file: Record<string, unknown>,
  key: string,
  problems: string[],
): Record<string, unknown>[] {
  const value = file[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${key} must be a list`);
    return [];
  }
  return value.map(bodyObject);
}

/** Run `read` and turn its error into a problem line naming the entry. */
function attempt<T>(where: string, problems: string[], read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    problems.push(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

function routeId(routeKey: string): string {
  return `f${createHash('sha256').update(routeKey).digest('hex').slice(0, 6)}`;
}

/** Read and check the whole file; throws one ConfigError listing every problem. */
export function planSourcesFile(text: string, context: SourcesFileContext): Planned {
  const problems: string[] = [];
  let file: Record<string, unknown> = {};
  try {
    file = bodyObject(JSON.parse(text));
  } catch (err) {
    throw new ConfigError([`SOURCES_FILE is not JSON: ${String(err)}`]);
  }
  for (const key of Object.keys(file)) {
    if (!(SECTIONS as readonly string[]).includes(key))
      problems.push(`unknown section ${key}; use ${SECTIONS.join(', ')}`);
  }
  const { ctx, nowMs } = context;
  const iso = new Date(nowMs).toISOString();
  const plan: Planned = { routes: [], schedules: [], webhooks: [], triggers: [] };
  entries(file, 'routes', problems).forEach((body, i) => {
    const fields = attempt(`routes[${i}]`, problems, () => readRouteFields(body, ctx));
    if (fields) plan.routes.push(newRouteRecord(fields, routeId(fields.routeKey), 'file', iso));
  });
  entries(file, 'schedules', problems).forEach((body, i) => {
    const rule = attempt(`schedules[${i}]`, problems, () =>
      newScheduleRecord(
        readScheduleName(typeof body.Name === 'string' ? body.Name : ''),
        readScheduleFields(body, ctx),
        'file',
        nowMs,
      ),
    );
    if (rule) plan.schedules.push(rule);
  });
  entries(file, 'webhooks', problems).forEach((body, i) => {
    const hook = attempt(`webhooks[${i}]`, problems, () => {
      const name = readWebhookName(body.Name);
      const fromEnv = typeof body.SecretEnv === 'string' ? context.env[body.SecretEnv] : undefined;
      const secret = readSecret(body.Secret ?? fromEnv);
      if (secret === undefined) throw new Error('needs Secret, or SecretEnv naming a set variable');
      return newWebhookRecord(name, secret, 'file', iso);
    });
    if (hook) plan.webhooks.push(hook);
  });
  entries(file, 'storageTriggers', problems).forEach((body, i) => {
    const trigger = attempt(`storageTriggers[${i}]`, problems, () =>
      readTrigger(body, ctx, typeof body.Id === 'string' ? body.Id : '', 'file', iso),
    );
    if (trigger) plan.triggers.push(trigger);
  });
  const names = (list: readonly { name?: string; id?: string; routeKey?: string }[]): string[] =>
    list.map((x) => x.name ?? x.id ?? x.routeKey ?? '');
  for (const [kind, list] of [
    ['schedules', names(plan.schedules)],
    ['webhooks', names(plan.webhooks)],
    ['storageTriggers', names(plan.triggers)],
  ] as const) {
    const dupes = list.filter((n, i) => list.indexOf(n) !== i);
    if (dupes.length > 0) problems.push(`${kind}: ${dupes.join(', ')} appear more than once`);
  }
  const table = compileRouteTable(plan.routes.map((r) => ({ routeKey: r.routeKey, target: r })));
  if (!table.ok) problems.push(...table.problems.map((p) => `routes: ${p}`));
  for (const t of plan.triggers) {
    if (!plan.webhooks.some((h) => h.name === t.webhook))
      problems.push(`storageTriggers ${t.id}: webhook ${t.webhook} is not in the file`);
  }
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `SOURCES_FILE ${p}`));
  return plan;
}

interface OwnedStore<T> {
  list(): Promise<T[]>;
  get(id: string): Promise<T | undefined>;
  put(id: string, value: T): Promise<void>;
  delete(id: string): Promise<boolean>;
}

/** Write the file's records and drop the ones it owned that it no longer lists. */
async function sync<T extends { managedBy: string }>(
  store: OwnedStore<T>,
  wanted: readonly T[],
  idOf: (record: T) => string,
  keep: (existing: T | undefined, next: T) => T = (_existing, next) => next,
): Promise<void> {
  const wantedIds = new Set(wanted.map(idOf));
  for (const record of wanted) {
    const id = idOf(record);
    await store.put(id, keep(await store.get(id), record));
  }
  for (const old of await store.list()) {
    if (old.managedBy === 'file' && !wantedIds.has(idOf(old))) await store.delete(idOf(old));
  }
}

/** Read, check and apply the file. */
export async function applySourcesFile(
  path: string,
  stores: SourceStores,
  context: SourcesFileContext,
): Promise<{ routes: number; schedules: number; webhooks: number; triggers: number }> {
  const plan = planSourcesFile(await readFile(path, 'utf8'), context);
  const apiRoutes = (await stores.routes.list()).filter((r) => r.managedBy !== 'file');
  const all = compileRouteTable(
    [...apiRoutes, ...plan.routes].map((r) => ({ routeKey: r.routeKey, target: r })),
  );
  if (!all.ok) throw new ConfigError(all.problems.map((p) => `SOURCES_FILE routes: ${p}`));
  await sync(
    stores.routes,
    plan.routes,
    (r) => r.routeId,
    (old, next) => ({
      ...next,
      createdAt: old?.createdAt ?? next.createdAt,
    }),
  );
  // A schedule keeps its creation time: `rate(...)` ticks stay on the same grid across starts.
  await sync(
    stores.schedules,
    plan.schedules,
    (r) => r.name,
    (old, next) => ({
      ...next,
      createdAtMs: old?.createdAtMs ?? next.createdAtMs,
    }),
  );
  await sync(stores.webhooks, plan.webhooks, (h) => h.name);
  await sync(stores.triggers, plan.triggers, (t) => t.id);
  return {
    routes: plan.routes.length,
    schedules: plan.schedules.length,
    webhooks: plan.webhooks.length,
    triggers: plan.triggers.length,
  };
}
