import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createRequestBody, createTestGateway, REGION } from './helpers/test-app.js';
import {
  NAME_VALIDATION_MATRIX,
  expandPlaceholders,
  type MatrixOp,
} from '@lambdock/core/testing/name-validation-matrix';

const x = (text: string): string => expandPlaceholders(text, REGION);
const BASE = '/2015-03-31/functions';

function send(op: MatrixOp, functionName: string, qualifier: string | undefined) {
  const gw = createTestGateway();
  const agent = request(gw.app);
  const query = qualifier === undefined ? {} : { Qualifier: qualifier };
  const segment = encodeURIComponent(functionName);
  switch (op) {
    case 'get':
      return agent.get(`${BASE}/${segment}`).query(query);
    case 'delete':
      return agent.delete(`${BASE}/${segment}`).query(query);
    case 'invoke':
      return agent.post(`${BASE}/${segment}/invocations`).query(query).send('{}');
    case 'create':
      // Recorded as CreateFunction(FunctionName=name[:qualifier]).
      return agent.post(BASE).send(
        createRequestBody({
          FunctionName: qualifier === undefined ? functionName : `${functionName}:${qualifier}`,
        }),
      );
  }
}

describe('FunctionName and Qualifier validation through the routes (AWS matrix)', () => {
  for (const c of NAME_VALIDATION_MATRIX) {
    for (const op of ['get', 'delete', 'invoke', 'create'] as const) {
      const expected = c.results[op];
      it(`${c.id} / ${op}`, async () => {
        const res = await send(
          op,
          x(c.functionName),
          c.qualifier === undefined ? undefined : x(c.qualifier),
        );
        if ('accepted' in expected) {
          assert.equal(res.status, 201);
          return;
        }
        assert.equal(res.headers['x-amzn-errortype'], expected.code);
        if ('errors' in expected) {
          const n = expected.errors.length;
          const message = `${n} validation error${n === 1 ? '' : 's'} detected: ${expected.errors.map(x).join('; ')}`;
          assert.equal(res.status, 400);
          assert.deepEqual(
            res.body,
            expected.code === 'ValidationException' ? { message } : { Type: 'User', message },
          );
          return;
        }
        const notFound = expected.code === 'ResourceNotFoundException';
        assert.equal(res.status, notFound ? 404 : 400);
        assert.deepEqual(
          res.body,
          notFound
            ? { Type: 'User', Message: x(expected.message) }
            : { Type: 'User', message: x(expected.message) },
        );
      });
    }
  }
});
