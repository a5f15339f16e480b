/**
 * @module
 * Builds `HttpRequestFacts` for the http-events tests: a plain GET unless overridden.
 */
import type { HttpRequestFacts } from '../../src/http-events/request-facts.js';

export const REQUEST_ID = 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef';
/** 10/Mar/2020:00:03:59.428 UTC */
export const TIME_EPOCH_MS = 1583798639428;

export function requestFacts(overrides: Partial<HttpRequestFacts> = {}): HttpRequestFacts {
  return {
    method: 'GET',
    rawPath: '/',
    rawQueryString: '',
    rawHeaders: [],
    body: Buffer.alloc(0),
    sourceIp: '203.0.113.7',
    protocol: 'HTTP/1.1',
    requestId: REQUEST_ID,
    timeEpochMs: TIME_EPOCH_MS,
    ...overrides,
  };
}
