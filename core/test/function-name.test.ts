import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAppError, parseFunctionName, type NameRuleKey } from '../src/index.js';
import {
  NAME_VALIDATION_MATRIX,
  expandPlaceholders,
  type MatrixOp,
} from './fixtures/name-validation-matrix.js';

const REGION = 'us-east-1';
const ACCOUNT = '111111111111';
const ctx = { region: REGION, accountId: ACCOUNT };
const x = (text: string): string => expandPlaceholders(text, REGION);

/** Cases where AWS's answer is decided after parsing (not found, alias deletion): what we parse. */
const PARSED_WHEN_ACCEPTED: Record<string, { name: string; qualifier?: string }> = {
  function_name_too_long: { name: 'a'.repeat(65) },
  incomplete_arn: { name: 'function' },
  lowercase_latest_qualifier: { name: 'my-function', qualifier: '$latest' },
  qualifier_too_long1: { name: 'my-function', qualifier: 'a'.repeat(65) },
  function_name_and_qualifier_too_long: { name: 'my-function', qualifier: 'a'.repeat(65) },
};

function callFor(op: MatrixOp, functionName: string, qualifier: string | undefined) {
  // The recorded CreateFunction calls sent `name:qualifier` as the FunctionName.
  if (op === 'create') {
    const raw = qualifier === undefined ? functionName : `${functionName}:${qualifier}`;
    return () => parseFunctionName(raw, { ...ctx, rule: 'create' });
  }
  return () => parseFunctionName(functionName, { ...ctx, rule: op, qualifier });
}

describe('parseFunctionName reproduces the AWS validation matrix', () => {
  for (const c of NAME_VALIDATION_MATRIX) {
    for (const op of ['get', 'delete', 'invoke', 'create'] as const) {
      const expected = c.results[op];
      it(`${c.id} / ${op}`, () => {
        const call = callFor(op, x(c.functionName), c.qualifier && x(c.qualifier));
        if ('errors' in expected) {
          const n = expected.errors.length;
          const message = `${n} validation error${n === 1 ? '' : 's'} detected: ${expected.errors.map(x).join('; ')}`;
          assert.throws(call, (err: unknown) => {
            assert.ok(isAppError(err));
            assert.equal(err.awsType, expected.code);
            assert.equal(err.message, message);
            return true;
          });
          return;
        }
        if (
          'message' in expected &&
          expected.code === 'InvalidParameterValueException' &&
          !expected.message.startsWith('Deletion')
        ) {
          assert.throws(call, (err: unknown) => {
            assert.ok(isAppError(err));
            assert.equal(err.awsType, expected.code);
            assert.equal(err.message, x(expected.message));
            return true;
          });
          return;
        }
        // Not found / alias deletion / accepted: parsing succeeds, the caller decides.
        const parsed = PARSED_WHEN_ACCEPTED[c.id];
        assert.ok(parsed, `no parse expectation for ${c.id}`);
        assert.deepEqual(call(), parsed);
      });
    }
  }
});

describe('parseFunctionName accepts every documented form', () => {
  const arn = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:demo`;
  const table: Array<[string, NameRuleKey, string, string | undefined, object]> = [
    ['plain name', 'get', 'demo', undefined, { name: 'demo' }],
    ['name with qualifier', 'invoke', 'demo:live', undefined, { name: 'demo', qualifier: 'live' }],
    ['Qualifier parameter', 'get', 'demo', '7', { name: 'demo', qualifier: '7' }],
    ['same qualifier twice', 'get', 'demo:7', '7', { name: 'demo', qualifier: '7' }],
    ['empty Qualifier parameter', 'get', 'demo', '', { name: 'demo' }],
    ['partial ARN', 'get', `${ACCOUNT}:function:demo`, undefined, { name: 'demo' }],
    [
      'partial ARN with $LATEST',
      'get',
      `${ACCOUNT}:function:demo:$LATEST`,
      undefined,
      { name: 'demo', qualifier: '$LATEST' },
    ],
    ['full ARN', 'delete', arn, undefined, { name: 'demo' }],
    ['full ARN with version', 'invoke', `${arn}:3`, undefined, { name: 'demo', qualifier: '3' }],
    ['function: prefix', 'get', 'function:demo', undefined, { name: 'demo' }],
    ['dots in look-ups', 'get', 'my.fn', undefined, { name: 'my.fn' }],
    ['create with a full ARN', 'create', arn, undefined, { name: 'demo' }],
    ['manage with a plain name', 'manage', 'demo', undefined, { name: 'demo' }],
  ];
  for (const [label, rule, raw, qualifier, expected] of table) {
    it(label, () => {
      assert.deepEqual(parseFunctionName(raw, { ...ctx, rule, qualifier }), expected);
    });
  }
});

describe('parseFunctionName refusals outside the matrix', () => {
  const refusals: Array<[string, () => unknown, string, string]> = [
    [
      'another region',
      () =>
        parseFunctionName(`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:demo`, {
          ...ctx,
          rule: 'get',
        }),
      'ResourceNotFoundException',
      `Functions from 'eu-west-1' are not reachable in this region ('${REGION}')`,
    ],
    [
      'a missing FunctionName',
      () => parseFunctionName(undefined, { ...ctx, rule: 'create' }),
      'ValidationException',
      "1 validation error detected: Value null at 'functionName' failed to satisfy constraint: Member must not be null",
    ],
    [
      'dots in write operations',
      () => parseFunctionName('my.fn', { ...ctx, rule: 'manage' }),
      'ValidationException',
      `1 validation error detected: Value 'my.fn' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: ${x('<R_CREATE>')}`,
    ],
  ];
  for (const [label, call, awsType, message] of refusals) {
    it(`refuses ${label}`, () => {
      assert.throws(call, (err: unknown) => {
        assert.ok(isAppError(err));
        assert.equal(err.awsType, awsType);
        assert.equal(err.message, message);
        return true;
      });
    });
  }

  it('refuses an ARN of another account with AccessDeniedException', () => {
    assert.throws(
      () =>
        parseFunctionName('arn:aws:lambda:us-east-1:123456789012:function:demo', {
          ...ctx,
          rule: 'create',
        }),
      (err: unknown) =>
        isAppError(err) && err.awsType === 'AccessDeniedException' && err.statusCode === 403,
    );
  });
});
