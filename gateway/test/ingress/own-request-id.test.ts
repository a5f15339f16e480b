import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import express from 'express';
import request from 'supertest';
import { createSilentLogger } from '@lambdock/core';
import { ownRequestId } from '../../src/ingress/own-request-id.js';
import { createRequestId } from '../../src/middleware/request-id.js';
import { contextOf } from '../../src/middleware/request-context.js';

function app(ids: string[]): express.Express {
  const logger = createSilentLogger();
  const newId = (): string => ids.shift() ?? 'exhausted';
  const server = express();
  server.use(createRequestId({ logger, newId }));
  server.use((_req, res) => {
    const before = contextOf(res).requestId;
    const own = ownRequestId(res, { logger, newId });
    res.json({ before, own, context: contextOf(res).requestId });
  });
  return server;
}

describe('ownRequestId', () => {
  it('replaces a caller-chosen request id with a fresh one everywhere it is visible', async () => {
    const cases: Array<[header: string, value: string]> = [
      ['x-request-id', 'fixed-id-1'],
      ['x-amzn-RequestId', 'fixed-id-2'],
    ];
    for (const [header, value] of cases) {
      const res = await request(app(['own-1']))
        .get('/x')
        .set(header, value);
      assert.deepEqual(res.body, { before: value, own: 'own-1', context: 'own-1' }, header);
      assert.equal(res.headers['x-amzn-requestid'], 'own-1', header);
    }
  });

  it('gives two requests carrying the same caller id two different ids', async () => {
    const server = app(['own-1', 'own-2']);
    const first = await request(server).get('/x').set('x-request-id', 'same');
    const second = await request(server).get('/x').set('x-request-id', 'same');
    assert.deepEqual(
      [first.headers['x-amzn-requestid'], second.headers['x-amzn-requestid']],
      ['own-1', 'own-2'],
    );
  });
});
