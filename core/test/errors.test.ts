import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError, ERRORS, isAppError } from '../src/errors.js';
import { renderError } from '../src/render-error.js';

const DOCS = readFileSync(new URL('../../../docs/ERRORS.md', import.meta.url), 'utf8');

describe('error catalogue', () => {
  it('documents every code in docs/ERRORS.md with its status and AWS type', () => {
    for (const spec of Object.values(ERRORS)) {
      const row = DOCS.split('\n').find((line) => line.includes(`\`${spec.code}\``));
      assert.ok(row, `${spec.code} missing from docs/ERRORS.md`);
      assert.match(
        row,
        new RegExp(`\\|\\s*${spec.statusCode}\\s*\\|`),
        `${spec.code} status differs in docs`,
      );
      assert.ok(row.includes(`\`${spec.awsType}\``), `${spec.code} AWS type differs in docs`);
    }
  });

  it('has no code in the docs that the catalogue lacks', () => {
    const codes = new Set(Object.values(ERRORS).map((s) => s.code));
    for (const match of DOCS.matchAll(/`(LDK_ERR_[A-Z_]+)`/g)) {
      assert.ok(codes.has(match[1] ?? ''), `${match[1]} is documented but not in the catalogue`);
    }
  });

  it('uses unique codes that follow LDK_ERR_<AREA>_<WHAT>', () => {
    const codes = Object.values(ERRORS).map((s) => s.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const code of codes) assert.match(code, /^LDK_ERR_[A-Z]+_[A-Z_]+$/);
  });
});

describe('renderError', () => {
  const cases = [
    { spec: ERRORS.FUNCTION_NOT_FOUND, body: { Type: 'User', Message: 'm' } },
    { spec: ERRORS.INVALID_PARAMETER, body: { Type: 'User', message: 'm' } },
    { spec: ERRORS.VALIDATION, body: { message: 'm' } },
    {
      spec: ERRORS.LOGS_GROUP_NOT_FOUND,
      body: { __type: 'ResourceNotFoundException', message: 'm' },
    },
  ];
  for (const { spec, body } of cases) {
    it(`renders ${spec.awsType} with AWS's body shape`, () => {
      const rendered = renderError(new AppError(spec, 'm'));
      assert.equal(rendered.statusCode, spec.statusCode);
      assert.equal(rendered.headers['x-amzn-ErrorType'], spec.awsType);
      assert.deepEqual(rendered.body, body);
    });
  }

  it('renders every error of the JSON protocol with __type, a fault as ServiceUnavailableException', () => {
    const refusal = renderError(new AppError(ERRORS.INVALID_SIGNATURE, 'bad'), 'json');
    assert.equal(refusal.statusCode, 403);
    assert.deepEqual(refusal.body, { __type: 'InvalidSignatureException', message: 'bad' });
    const fault = renderError(new Error('boom'), 'json');
    assert.equal(fault.statusCode, 500);
    assert.equal(fault.headers['x-amzn-ErrorType'], 'ServiceUnavailableException');
    assert.deepEqual(fault.body, {
      __type: 'ServiceUnavailableException',
      message: 'An internal error occurred.',
    });
  });

  it('adds extra fields such as the throttle Reason', () => {
    const err = new AppError(ERRORS.THROTTLED, 'Rate Exceeded.', {
      fields: { Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' },
    });
    assert.deepEqual(renderError(err).body, {
      Type: 'User',
      message: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  });

  it('never leaks the message of a 5xx or of a non-AppError', () => {
    const internal = renderError(new AppError(ERRORS.INTERNAL, 'redis at 10.0.0.1 said NOAUTH'));
    assert.equal(internal.statusCode, 500);
    assert.doesNotMatch(JSON.stringify(internal.body), /NOAUTH|10\.0\.0\.1/);
    const unknown = renderError(new Error('secret path /etc/x'));
    assert.equal(unknown.statusCode, 500);
    assert.equal(unknown.headers['x-amzn-ErrorType'], 'ServiceException');
    assert.doesNotMatch(JSON.stringify(unknown.body), /secret/);
  });

  it('recognises app errors by code, not by class identity', () => {
    assert.equal(isAppError({ code: 'LDK_ERR_SERVICE_INTERNAL', statusCode: 500 }), true);
    assert.equal(isAppError(new Error('x')), false);
    assert.equal(isAppError({ code: 'ECONNREFUSED', statusCode: 500 }), false);
  });
});
