/**
 * @module
 * What of a function's answer an invocation record keeps: the result or error as JSON when it
 * parses (text otherwise). Results over the limit are not kept (the record says so), so a
 * chatty function cannot fill Redis with seven days of large answers.
 */
import type { InvokeResult } from '../invoke/invoker.js';

export interface KeptAnswer {
  result?: unknown;
  resultTruncated?: boolean;
  error?: unknown;
}

/** JSON when it parses, else the text; an empty answer is `null`. */
export function parseAnswer(payload: Buffer): unknown {
  const text = payload.toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function keptAnswer(result: InvokeResult, limitBytes: number): KeptAnswer {
  if (result.outcome === 'function-error') return { error: parseAnswer(result.payload) };
  if (result.payload.length > limitBytes) return { resultTruncated: true };
  return { result: parseAnswer(result.payload) };
}

/** The error message of a function error payload (`errorMessage`), or its text. */
export function errorMessageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const message = (error as { errorMessage?: unknown }).errorMessage;
    if (typeof message === 'string') return message;
  }
  return typeof error === 'string' ? error : JSON.stringify(error ?? null);
}
