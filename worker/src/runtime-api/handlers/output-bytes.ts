/**
 * @module
 * lambdock's runtimes send, with each answer, how many bytes they wrote to stdout and stderr
 * since they took the event; the worker closes the invocation's log once that much has arrived.
 * Other runtimes do not send it (their logs close when output settles).
 */
import { RUNTIME_HEADERS } from '@lambdock/core';

/** The `{ outputBytes }` to spread into an outcome, when the header holds a count. */
export function outputBytesOf(headers: Readonly<Record<string, string>>): {
  outputBytes?: number;
} {
  const value = headers[RUNTIME_HEADERS.OUTPUT_BYTES];
  return value !== undefined && /^\d{1,15}$/.test(value) ? { outputBytes: Number(value) } : {};
}
