import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  parseAuthorization,
  signatureOf,
  signingKey,
  stringToSign,
} from '../../src/auth/sigv4.js';
import { signRequest } from '../helpers/signing.js';

describe('SigV4 pieces', () => {
  it('signs AWS’s get-vanilla example to its published signature', () => {
    const canonical = canonicalRequest(
      {
        method: 'GET',
        rawPath: '/',
        rawQuery: '',
        rawHeaders: ['Host', 'example.amazonaws.com', 'X-Amz-Date', '20150830T123600Z'],
      },
      ['host', 'x-amz-date'],
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    const key = signingKey(
      'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      '20150830',
      'us-east-1',
      'service',
    );
    const toSign = stringToSign(
      '20150830T123600Z',
      '20150830/us-east-1/service/aws4_request',
      canonical,
    );
    assert.equal(
      signatureOf(key, toSign),
      '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('encodes the path once more and drops dot and empty segments', () => {
    assert.equal(
      canonicalUri(
        '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A1%3Afunction%3Af/invocations',
      ),
      '/2015-03-31/functions/arn%253Aaws%253Alambda%253Aus-east-1%253A1%253Afunction%253Af/invocations',
    );
    assert.equal(canonicalUri('/a//b/./c/../d/'), '/a/b/d/');
    assert.equal(canonicalUri(''), '/');
    assert.equal(canonicalUri('/'), '/');
  });

  it('sorts the query by name, then value, each encoded the RFC 3986 way', () => {
    assert.equal(canonicalQuery('b=2&a=z&a=y&c&d=%2B%20*'), 'a=y&a=z&b=2&c=&d=%2B%20%2A');
    assert.equal(canonicalQuery('X-Amz-Signature=1&a=1', 'X-Amz-Signature'), 'a=1');
  });

  it('reads an Authorization header and names what it lacks', () => {
    const parsed = parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AK/20261207/eu-west-1/lambda/aws4_request, SignedHeaders=host;X-Amz-Date, Signature=ABC',
    );
    assert.deepEqual(parsed, {
      ok: true,
      parts: {
        accessKeyId: 'AK',
        scopeDate: '20261207',
        region: 'eu-west-1',
        service: 'lambda',
        terminator: 'aws4_request',
        signedHeaders: ['host', 'x-amz-date'],
        signature: 'abc',
      },
    });
    assert.deepEqual(parseAuthorization('AWS4-HMAC-SHA256 Credential=AK/1/2/3/4'), {
      ok: false,
      missing: ['Signature', 'SignedHeaders'],
    });
    assert.deepEqual(parseAuthorization('AWS AK:sig'), { ok: false, algorithm: 'AWS' });
  });

  it('agrees with AWS’s own signer on an ARN path, a query and a JSON body', async () => {
    const body = '{"Description":"ü and spaces"}';
    const signed = await signRequest({
      method: 'PUT',
      host: '127.0.0.1:9000',
      path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A111111111111%3Afunction%3Ademo/configuration',
      query: { Qualifier: '$LATEST', 'Odd Name': 'a+b/c' },
      body,
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
    });
    const parts = parseAuthorization(signed.headers.authorization ?? '');
    assert.ok(parts.ok);
    const rawHeaders = Object.entries(signed.headers).flat();
    const canonical = canonicalRequest(
      { method: 'PUT', rawPath: signed.path, rawQuery: signed.rawQuery, rawHeaders },
      parts.parts.signedHeaders,
      signed.headers['x-amz-content-sha256'] ?? '',
    );
    const key = signingKey('secret', parts.parts.scopeDate, 'us-east-1', 'lambda');
    const scope = `${parts.parts.scopeDate}/us-east-1/lambda/aws4_request`;
    assert.equal(
      signatureOf(key, stringToSign(signed.headers['x-amz-date'] ?? '', scope, canonical)),
      parts.parts.signature,
    );
  });
});
