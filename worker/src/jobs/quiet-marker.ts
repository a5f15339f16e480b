/**
 * @module
 * BullMQ's scripts that take a job, with the queue's wake-up marker put back only while another
 * job waits. Consumers block on the marker; stock BullMQ puts it back on every take so that
 * another consumer wakes for the next job, which on an idle queue wakes one for nothing: its
 * read returns at once and its fetch finds no job. At c=1 that is two Redis round trips of the
 * worker beside every invocation (docs/PERFORMANCE.md).
 *
 * The scripts are BullMQ's own text with that one call guarded, defined on the worker's
 * connection under BullMQ's names for them; BullMQ defines a script only where the connection
 * lacks it. A BullMQ whose text no longer matches keeps its own scripts, named in the result
 * (the worker logs it; this module's test fails on such an upgrade).
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';

/** A Lua script as BullMQ ships it. */
export interface BullScript {
  name: string;
  content: string;
  keys: number;
}

const TAKE = 'local function prepareJobForProcessing(';
const TAKE_END = '\nend\n';
const PUT_BACK = '\n  addBaseMarkerIfNeeded(markerKey, false)\n';
// `keyPrefix` is the queue's (job keys are `keyPrefix .. jobId`).
const PUT_BACK_WHILE_WAITING = `
  if rcall("LLEN", keyPrefix .. "wait") > 0 or rcall("ZCARD", keyPrefix .. "prioritized") > 0 then
    addBaseMarkerIfNeeded(markerKey, false)
  end
`;

export interface QuietScripts {
  /** The scripts that take a job, the marker's put-back guarded. */
  quiet: BullScript[];
  /** Scripts that take a job whose text no longer matches: left as BullMQ ships them. */
  unchanged: string[];
}

/** Every script that takes a job, rewritten; the others are left out. */
export function quietTakeScripts(scripts: Iterable<BullScript>): QuietScripts {
  const result: QuietScripts = { quiet: [], unchanged: [] };
  for (const script of scripts) {
    const { content } = script;
    const start = content.indexOf(TAKE);
    if (start < 0) continue;
    const end = content.indexOf(TAKE_END, start);
    const body = end < 0 ? '' : content.slice(start, end);
    const at = body.indexOf(PUT_BACK);
    if (at < 0 || body.indexOf(PUT_BACK, at + 1) >= 0) {
      result.unchanged.push(script.name);
      continue;
    }
    const guarded = body.slice(0, at) + PUT_BACK_WHILE_WAITING + body.slice(at + PUT_BACK.length);
    result.quiet.push({
      ...script,
      content: content.slice(0, start) + guarded + content.slice(end),
    });
  }
  return result;
}

/** BullMQ's scripts and the version its command names carry. */
export function bullmqScripts(): { scripts: BullScript[]; version: string } {
  const load = createRequire(import.meta.url);
  const scripts = load('bullmq/dist/cjs/scripts/index.js') as Record<string, BullScript>;
  const { version } = load('bullmq/dist/cjs/version.js') as { version: string };
  return { scripts: Object.values(scripts), version };
}

/**
 * Defines the quiet scripts on `connection` under BullMQ's names (`name:version`), before or
 * after BullMQ loads its own: ioredis replaces a definition, BullMQ never does. Returns the names
 * left as BullMQ ships them.
 */
export function defineQuietTakeScripts(
  connection: Redis,
  bullmq: { scripts: BullScript[]; version: string } = bullmqScripts(),
): string[] {
  const { quiet, unchanged } = quietTakeScripts(bullmq.scripts);
  for (const script of quiet) {
    connection.defineCommand(`${script.name}:${bullmq.version}`, {
      numberOfKeys: script.keys,
      lua: script.content,
    });
  }
  return unchanged;
}
