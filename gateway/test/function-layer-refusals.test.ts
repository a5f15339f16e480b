/**
 * The `Layers` member refused, each fault in AWS's words and in AWS's order of checks (aws-oracle
 * 2_errors, CreateFunction/UpdateFunctionConfiguration(Layers)): the model's pattern, the count,
 * the region, two versions of one layer, a version that does not exist here; and image
 * functions, which take no layers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import {
  ACCOUNT,
  REGION,
  activeGateway,
  activeRecord,
  createRequestBody,
  createTestGateway,
  errorOf,
  seed,
} from './helpers/test-app.js';

const BASE = '/2015-03-31/functions';
const layer = (name: string, version: number, region = REGION): string =>
  `arn:aws:lambda:${region}:${ACCOUNT}:layer:${name}:${version}`;
const PATTERN = String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`;

/** Each case: the Layers sent, then the error AWS answers (aws-oracle 2_errors, Layers). */
const REFUSED: ReadonlyArray<readonly [string, unknown, string, string]> = [
  [
    'an ARN without its version',
    [`arn:aws:lambda:${REGION}:${ACCOUNT}:layer:deps`],
    'ValidationException',
    `1 validation error detected: Value '[arn:aws:lambda:${REGION}:${ACCOUNT}:layer:deps]' at 'layers' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 2048, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: ${PATTERN}, Member must not be null]`,
  ],
  [
    'six layers',
    [1, 2, 3, 4, 5, 6].map((n) => layer(`l${n}`, 1)),
    'InvalidParameterValueException',
    'Cannot reference more than 5 layers.',
  ],
  [
    'a layer of another region',
    [layer('deps', 1, 'eu-west-1')],
    'InvalidParameterValueException',
    `Layers are not in the same region as the function. Layers are expected to be in region ${REGION}.`,
  ],
  [
    'two versions of one layer',
    [layer('deps', 1), layer('other', 3), layer('deps', 2)],
    'InvalidParameterValueException',
    `Two different versions of the same layer are not allowed to be referenced in the same function. ${layer('deps', 1)} and ${layer('deps', 2)} are versions of the same layer.`,
  ],
  [
    'the same version twice',
    [layer('deps', 1), layer('deps', 1)],
    'InvalidParameterValueException',
    `Two different versions of the same layer are not allowed to be referenced in the same function. ${layer('deps', 1)} and ${layer('deps', 1)} are versions of the same layer.`,
  ],
  [
    'a layer version that does not exist',
    [layer('deps', 9), layer('other', 1)],
    'InvalidParameterValueException',
    `Layer version ${layer('deps', 9)} does not exist.`,
  ],
  [
    "another account's layer (lambdock keeps one account's)",
    [`arn:aws:lambda:${REGION}:222222222222:layer:deps:1`],
    'InvalidParameterValueException',
    `Layer version arn:aws:lambda:${REGION}:222222222222:layer:deps:1 does not exist.`,
  ],
  [
    "one of AWS's own layers",
    ['arn:aws:lambda:::awslayer:AWSLambda-Python-AWS-SDK'],
    'InvalidParameterValueException',
    'Layer version arn:aws:lambda:::awslayer:AWSLambda-Python-AWS-SDK does not exist.',
  ],
];

describe('CreateFunction with Layers', () => {
  for (const [what, layers, type, message] of REFUSED) {
    it(`refuses ${what} and stores nothing`, async () => {
      const gw = createTestGateway();
      const res = await request(gw.app)
        .post(BASE)
        .send(createRequestBody({ Layers: layers }));
      assert.equal(res.status, 400);
      assert.equal(res.headers['x-amzn-errortype'], type);
      assert.equal(errorOf(res).message, message);
      assert.equal(await gw.registry.get('demo'), undefined);
      assert.equal(gw.queue.prepare.length, 0);
    });
  }

  it('accepts an empty list: a function without layers', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ Layers: [] }));
    assert.equal(res.status, 201);
    assert.ok(await gw.registry.get('demo'));
  });

  it('refuses layers on an image function with the message for Handler and Runtime', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(BASE)
      .send({
        FunctionName: 'img',
        Role: createRequestBody().Role,
        PackageType: 'Image',
        Code: { ImageUri: 'lambdock/fixture:node-ric' },
        Layers: [layer('deps', 1)],
      });
    assert.equal(res.status, 400);
    assert.equal(
      errorOf(res).message,
      "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.",
    );
  });
});

describe('UpdateFunctionConfiguration with Layers', () => {
  it('refuses a layer version that does not exist and leaves the function as it was', async () => {
    const gw = await activeGateway();
    const before = await gw.registry.get('demo');
    const res = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ Timeout: 9, Layers: [layer('deps', 1)] });
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.equal(errorOf(res).message, `Layer version ${layer('deps', 1)} does not exist.`);
    assert.deepEqual(await gw.registry.get('demo'), before);
  });

  it("lists a malformed ARN with the body's other model problems in one ValidationException", async () => {
    const gw = await activeGateway();
    const res = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ Layers: ['not-an-arn'], Timeout: 0 });
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'ValidationException');
    assert.match(errorOf(res).message ?? '', /^2 validation errors detected: /);
    assert.match(errorOf(res).message ?? '', /Value '\[not-an-arn\]' at 'layers'/);
  });

  it('accepts an empty list', async () => {
    const gw = await activeGateway();
    const res = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ Layers: [], Timeout: 9 });
    assert.equal(res.status, 200);
    assert.equal((await gw.registry.get('demo'))?.timeoutS, 9);
  });

  it('refuses layers on an image function as CreateFunction does', async () => {
    const gw = createTestGateway();
    await seed(
      gw,
      activeRecord('img', {
        packageType: 'Image',
        imageUri: 'lambdock/fixture:node-ric',
        imageConfig: {},
        runtime: undefined,
        handler: undefined,
      }),
    );
    const res = await request(gw.app)
      .put(`${BASE}/img/configuration`)
      .send({ Layers: [layer('deps', 1)] });
    assert.equal(res.status, 400);
    assert.equal(
      errorOf(res).message,
      "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.",
    );
  });
});
