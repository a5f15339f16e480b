/**
 * @module
 * Each gateway's cached view of the event sources (routes, function URLs, webhooks, triggers).
 * The hot path reads the cache; at most once per refresh interval one GET of the shared version
 * counter tells whether another replica changed something, and only then is everything
 * reloaded. A write through this gateway invalidates the cache at once, so its own changes are
 * visible to the very next request and other replicas' within the interval.
 */
import type {
  FunctionUrlRecord,
  RouteRecord,
  ScheduleRecord,
  SourceStore,
  TriggerRecord,
  WebhookRecord,
} from '@lambdock/core';
import { compileRouteTable, type RouteTable } from '../http-events/route-table.js';

type Store<T> = Pick<SourceStore<T>, 'get' | 'list' | 'create' | 'update' | 'put' | 'delete'>;

export interface SourceStores {
  routes: Store<RouteRecord>;
  urls: Store<FunctionUrlRecord>;
  schedules: Store<ScheduleRecord>;
  webhooks: Store<WebhookRecord>;
  triggers: Store<TriggerRecord>;
}

export interface SourceSnapshot {
  routes: RouteTable<RouteRecord>;
  /** Route records that did not compile (a record written by an older release, say). */
  routeProblems: readonly string[];
  urls: ReadonlyMap<string, FunctionUrlRecord>;
  webhooks: ReadonlyMap<string, WebhookRecord>;
  triggers: readonly TriggerRecord[];
}

export interface SourceView {
  current(): Promise<SourceSnapshot>;
  /** Call after a local write: the next `current()` reloads. */
  invalidate(): void;
}

export interface SourceViewOptions {
  stores: SourceStores;
  version: () => Promise<number>;
  refreshMs: number;
  now: () => number;
}

/**
 * Routes are checked against each other when written, so the table compiles; should stored
 * records ever conflict, serve every route that fits rather than none, and report the rest.
 */
function buildTable(routes: readonly RouteRecord[]): {
  table: RouteTable<RouteRecord>;
  problems: readonly string[];
} {
  const all = compileRouteTable(routes.map((r) => ({ routeKey: r.routeKey, target: r })));
  if (all.ok) return { table: all.table, problems: [] };
  const kept: RouteRecord[] = [];
  let table: RouteTable<RouteRecord> = { routes: [], defaultTarget: undefined };
  for (const route of routes) {
    const attempt = compileRouteTable(
      [...kept, route].map((r) => ({ routeKey: r.routeKey, target: r })),
    );
    if (!attempt.ok) continue;
    kept.push(route);
    table = attempt.table;
  }
  return { table, problems: all.problems };
}

async function load(stores: SourceStores): Promise<SourceSnapshot> {
  const [routes, urls, webhooks, triggers] = await Promise.all([
    stores.routes.list(),
    stores.urls.list(),
    stores.webhooks.list(),
    stores.triggers.list(),
  ]);
  const { table, problems } = buildTable(routes);
  return {
    routes: table,
    routeProblems: problems,
    urls: new Map(urls.map((u) => [u.urlId, u])),
    webhooks: new Map(webhooks.map((w) => [w.name, w])),
    triggers,
  };
}

export function createSourceView(options: SourceViewOptions): SourceView {
  let snapshot: SourceSnapshot | undefined;
  let seenVersion = -1;
  let checkedAt = Number.NEGATIVE_INFINITY;
  let pending: Promise<SourceSnapshot> | undefined;

  const refresh = async (): Promise<SourceSnapshot> => {
    const version = await options.version();
    checkedAt = options.now();
    if (snapshot !== undefined && version === seenVersion) return snapshot;
    // Read the version first: a change landing during the load is seen on the next check.
    const next = await load(options.stores);
    snapshot = next;
    seenVersion = version;
    return next;
  };

  return {
    current(): Promise<SourceSnapshot> {
      if (snapshot !== undefined && options.now() - checkedAt < options.refreshMs) {
        return Promise.resolve(snapshot);
      }
      pending ??= refresh().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(): void {
      seenVersion = -1;
      checkedAt = Number.NEGATIVE_INFINITY;
    },
  };
}
