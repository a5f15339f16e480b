/**
 * @module
 * POST a delivery to an http(s) destination, a bounded number of times: each try has a
 * timeout, a network error or a 408 / 429 / 5xx answer is tried again after a growing pause,
 * any other non-2xx answer fails at once (trying again would get the same). The caller counts
 * the failure; the delivery id goes out as `Idempotency-Key` so a receiver can drop repeats.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export interface WebhookOptions {
  attempts: number;
  timeoutMs: number;
  backoffMs: number;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  /** @defaultValue node:timers/promises setTimeout */
  pause?: (ms: number) => Promise<unknown>;
}

export type WebhookPoster = (
  url: string,
  body: string,
  headers: Record<string, string>,
) => Promise<void>;

const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;

export function createWebhookPoster(options: WebhookOptions): WebhookPoster {
  const doFetch = options.fetch ?? fetch;
  const pause = options.pause ?? sleep;
  return async (url, body, headers) => {
    let last = 'not tried';
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
      if (attempt > 1) await pause(options.backoffMs * 2 ** (attempt - 2));
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) return;
        last = `HTTP ${res.status}`;
        if (!retryable(res.status)) break;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
    }
    throw new Error(`POST ${url} failed: ${last}`);
  };
}
