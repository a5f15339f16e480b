/**
 * @module
 * A closed-loop HTTP client at concurrency 1 over a keep-alive connection: the latency
 * view (autocannon is used for throughput).
 */
import { Agent, request } from 'node:http';
import { elapsedMs, warmedUp, type Warmup } from './stats.js';

export interface LoopOptions {
  url: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
  warmup: Warmup;
  samples: number;
  /** Hard stop so the loop is bounded in time as well as count. */
  maxDurationMs: number;
}

function once(agent: Agent, options: LoopOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(options.url);
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export async function latencyLoop(options: LoopOptions): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const deadline = Date.now() + options.maxDurationMs;
  const startedAt = Date.now();
  for (let i = 0; !warmedUp(options.warmup, i, startedAt) && Date.now() < deadline; i++)
    await once(agent, options);
  const samples: number[] = [];
  while (samples.length < options.samples && Date.now() < deadline) {
    const start = process.hrtime.bigint();
    const status = await once(agent, options);
    if (status >= 300) throw new Error(`${options.url} answered ${status}`);
    samples.push(elapsedMs(start));
  }
  agent.destroy();
  return samples;
}
