/**
 * @module
 * A function's (or one qualifier's) asynchronous invocation settings, as
 * PutFunctionEventInvokeConfig stores them, and the values the worker applies when a setting is
 * absent (Lambda's defaults: two retries, six hours).
 */

/** Lambda's bounds (API model) and defaults for the two error-handling settings. */
export const EVENT_INVOKE_LIMITS = Object.freeze({
  MIN_RETRY_ATTEMPTS: 0,
  MAX_RETRY_ATTEMPTS: 2,
  DEFAULT_RETRY_ATTEMPTS: 2,
  MIN_EVENT_AGE_S: 60,
  MAX_EVENT_AGE_S: 21_600,
  DEFAULT_EVENT_AGE_S: 21_600,
});

export interface EventInvokeConfig {
  functionName: string;
  /** `$LATEST`, a version or an alias: an opaque string here. */
  qualifier: string;
  maximumRetryAttempts?: number;
  maximumEventAgeInSeconds?: number;
  /** Destination ARNs or URLs; absent = no destination. */
  onSuccess?: string;
  onFailure?: string;
  lastModifiedMs: number;
}

export interface ResolvedEventInvokeConfig {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeMs: number;
  readonly onSuccess?: string;
  readonly onFailure?: string;
}

/** The settings an event runs under: the stored ones, Lambda's defaults for the rest. */
export function resolveEventInvokeConfig(
  config: EventInvokeConfig | undefined,
): ResolvedEventInvokeConfig {
  const ageS = config?.maximumEventAgeInSeconds ?? EVENT_INVOKE_LIMITS.DEFAULT_EVENT_AGE_S;
  return {
    maximumRetryAttempts:
      config?.maximumRetryAttempts ?? EVENT_INVOKE_LIMITS.DEFAULT_RETRY_ATTEMPTS,
    maximumEventAgeMs: ageS * 1000,
    ...(config?.onSuccess === undefined ? {} : { onSuccess: config.onSuccess }),
    ...(config?.onFailure === undefined ? {} : { onFailure: config.onFailure }),
  };
}
