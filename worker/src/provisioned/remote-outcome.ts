/**
 * @module
 * What a reply from another worker means for the async attempt that sent it there, as the same
 * Execution a local run gives, so retries, the maximum event age, dead letters, destinations and
 * the invocation record treat both alike. Success and function errors ran (the error type named
 * in the record); anything the other worker could not run, and a reply that never came, are
 * platform errors that may pass: the attempt is retried later without spending a function retry.
 * The log stays with the worker that ran it (it stored it), so the result carries none. Pure.
 */
import { ERRORS, type Reply } from '@lambdock/core';
import type { Execution } from '../jobs/execute.js';

/** The `errorType` of an error payload (`{errorType, errorMessage, trace}`), if it has one. */
export function errorTypeOf(payload: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as unknown;
    const type =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as { errorType?: unknown }).errorType
        : undefined;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

/** `version`: the version the attempt resolved, in case the header does not name one. */
export function executionFromReply(reply: Reply, version: string, durationMs: number): Execution {
  const { header, payload } = reply;
  const executedVersion = header.executedVersion || version;
  if (header.outcome === 'rejected') {
    // Shutting down, no room, or its environment gone and none to replace it: try again later.
    const rejection = {
      code: header.error?.code ?? ERRORS.INTERNAL.code,
      message: header.error?.message ?? 'the worker holding the environment did not run it',
      retryable: true,
    };
    return { kind: 'rejected', rejection, executedVersion };
  }
  // Older workers leave the error type out of the header; the error payload names it too.
  const errorType =
    header.outcome === 'function-error' ? (header.errorType ?? errorTypeOf(payload)) : undefined;
  return {
    kind: 'ran',
    executedVersion,
    result: {
      outcome: header.outcome,
      payload,
      contentType: header.contentType,
      coldStart: false,
      durationMs,
      log: Promise.resolve(''),
      ...(errorType === undefined ? {} : { errorType }),
    },
  };
}

/** The attempt's end when no reply came: the event goes back to the queue, no retry spent. */
export function noReply(workerId: string, why: string, executedVersion: string): Execution {
  return {
    kind: 'rejected',
    rejection: {
      code: ERRORS.INVOKE_TIMEOUT.code,
      message: `no reply from worker ${workerId}: ${why}`,
      retryable: true,
    },
    executedVersion,
  };
}
