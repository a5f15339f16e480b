import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyCors,
  corsHeaders,
  preflightResponse,
  type CorsConfig,
} from '../../src/http-events/cors.js';
import { validateCors } from '../../src/http-events/cors-validate.js';

const CORS: CorsConfig = {
  AllowOrigins: ['https://app.example.com'],
  AllowMethods: ['GET', 'POST'],
  AllowHeaders: ['content-type', 'x-api-key'],
  ExposeHeaders: ['x-request-id'],
  MaxAge: 600,
};

const preflight = (rawHeaders: string[], method = 'OPTIONS') => ({ method, rawHeaders });
const EMPTY = Buffer.alloc(0);

describe('preflightResponse', () => {
  it('answers an allowed origin with the configured CORS headers', () => {
    const response = preflightResponse(
      CORS,
      preflight([
        'Origin',
        'https://app.example.com',
        'Access-Control-Request-Method',
        'POST',
        'Access-Control-Request-Headers',
        'content-type',
      ]),
    );
    assert.deepEqual(response, {
      statusCode: 200,
      headers: [
        ['access-control-allow-origin', 'https://app.example.com'],
        ['vary', 'Origin'],
        ['access-control-allow-methods', 'GET,POST'],
        ['access-control-allow-headers', 'content-type,x-api-key'],
        ['access-control-max-age', '600'],
      ],
      body: EMPTY,
    });
  });

  it('answers 200 without any CORS header when the origin is not allowed', () => {
    const response = preflightResponse(
      CORS,
      preflight(['Origin', 'https://evil.example', 'Access-Control-Request-Method', 'GET']),
    );
    assert.deepEqual(response, { statusCode: 200, headers: [], body: EMPTY });
  });

  it('answers * for a wildcard origin and echoes the request for wildcard methods and headers', () => {
    const response = preflightResponse(
      { AllowOrigins: ['*'], AllowMethods: ['*'], AllowHeaders: ['*'] },
      preflight([
        'origin',
        'https://any.example',
        'access-control-request-method',
        'DELETE',
        'access-control-request-headers',
        'x-a,x-b',
      ]),
    );
    assert.deepEqual(response?.headers, [
      ['access-control-allow-origin', '*'],
      ['access-control-allow-methods', 'DELETE'],
      ['access-control-allow-headers', 'x-a,x-b'],
    ]);
  });

  it('echoes the origin and allows credentials when AllowCredentials is set with a wildcard', () => {
    const response = preflightResponse(
      { AllowOrigins: ['*'], AllowCredentials: true, MaxAge: 0 },
      preflight(['Origin', 'https://a.example', 'Access-Control-Request-Method', 'GET']),
    );
    assert.deepEqual(response?.headers, [
      ['access-control-allow-origin', 'https://a.example'],
      ['vary', 'Origin'],
      ['access-control-allow-credentials', 'true'],
      ['access-control-max-age', '0'],
    ]);
  });

  it('matches origins case-insensitively', () => {
    const response = preflightResponse(
      CORS,
      preflight(['Origin', 'HTTPS://App.Example.com', 'Access-Control-Request-Method', 'GET']),
    );
    assert.deepEqual(response?.headers[0], [
      'access-control-allow-origin',
      'HTTPS://App.Example.com',
    ]);
  });

  it('leaves non-preflight requests and URLs without CORS to the function', () => {
    const full = ['Origin', 'https://app.example.com', 'Access-Control-Request-Method', 'GET'];
    assert.equal(preflightResponse(undefined, preflight(full)), undefined);
    assert.equal(preflightResponse(CORS, preflight(full, 'GET')), undefined);
    assert.equal(
      preflightResponse(CORS, preflight(['Origin', 'https://app.example.com'])),
      undefined,
    );
    assert.equal(
      preflightResponse(CORS, preflight(['Access-Control-Request-Method', 'GET'])),
      undefined,
    );
  });
});

describe('corsHeaders', () => {
  it('adds allow-origin, credentials, expose-headers and Vary for an allowed origin', () => {
    assert.deepEqual(
      corsHeaders(
        { ...CORS, AllowCredentials: true, ExposeHeaders: ['a', 'b'] },
        'https://app.example.com',
      ),
      [
        ['access-control-allow-origin', 'https://app.example.com'],
        ['vary', 'Origin'],
        ['access-control-allow-credentials', 'true'],
        ['access-control-expose-headers', 'a,b'],
      ],
    );
  });

  it('adds nothing without an Origin, for a refused origin or without a config', () => {
    assert.deepEqual(corsHeaders(CORS, undefined), []);
    assert.deepEqual(corsHeaders(CORS, 'https://evil.example'), []);
    assert.deepEqual(corsHeaders(undefined, 'https://app.example.com'), []);
  });

  it('replaces the function CORS headers by the configured ones', () => {
    const own: Array<[string, string]> = [
      ['Content-Type', 'text/plain'],
      ['Access-Control-Allow-Origin', '*'],
    ];
    assert.deepEqual(applyCors(own, { AllowOrigins: ['*'] }, 'https://x.example'), [
      ['Content-Type', 'text/plain'],
      ['access-control-allow-origin', '*'],
    ]);
    assert.deepEqual(applyCors(own, undefined, 'https://x.example'), own);
  });
});

describe('validateCors', () => {
  it('accepts a full valid config and an empty one', () => {
    assert.deepEqual(validateCors({ ...CORS, AllowCredentials: false, AllowMethods: ['*'] }), []);
    assert.deepEqual(validateCors({}), []);
  });

  it('reports every problem', () => {
    assert.deepEqual(
      validateCors({
        AllowOrigins: Array.from({ length: 101 }, (_, i) => `https://o${i}.example`),
        AllowMethods: ['GET', 'get', 'OPTIONS'],
        AllowHeaders: ['', 'x'.repeat(1025)],
        ExposeHeaders: 'x-a',
        MaxAge: 86_401,
        AllowCredentials: 'yes',
        Origins: [],
      }),
      [
        'Cors.Origins is not a known setting: use AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders, MaxAge, AllowCredentials',
        'Cors.AllowOrigins has 101 entries; at most 100 are allowed',
        'Cors.AllowMethods entry "get" must be one of GET, PUT, HEAD, POST, PATCH, DELETE, *',
        'Cors.AllowMethods entry "OPTIONS" must be a string of 1..6 characters',
        'Cors.AllowHeaders entry "" must be a string of 1..1024 characters',
        `Cors.AllowHeaders entry "${'x'.repeat(1025)}" must be a string of 1..1024 characters`,
        'Cors.ExposeHeaders must be a list of strings',
        'Cors.MaxAge must be an integer from 0 to 86400 seconds',
        'Cors.AllowCredentials must be true or false',
      ],
    );
  });

  it('rejects a negative or fractional MaxAge and a non-object config', () => {
    assert.deepEqual(validateCors({ MaxAge: -1 }), [
      'Cors.MaxAge must be an integer from 0 to 86400 seconds',
    ]);
    assert.deepEqual(validateCors({ MaxAge: 1.5 }), [
      'Cors.MaxAge must be an integer from 0 to 86400 seconds',
    ]);
    assert.deepEqual(validateCors(null), ['Cors must be an object']);
  });
});
