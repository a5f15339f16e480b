import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isVersionNumber,
  pickAliasVersion,
  resolveQualifier,
  type AliasRecord,
  type FunctionRecord,
  type QualifierLookups,
} from '../src/index.js';

function record(version?: string): FunctionRecord {
  return {
    name: 'demo',
    packageType: 'Zip',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::111111111111:role/r',
    description: '',
    timeoutS: 3,
    memoryMb: 128,
    ephemeralStorageMb: 512,
    environment: { RUNS: version ?? '$LATEST' },
    codeSha256: 'x'.repeat(43) + '=',
    codeSize: 1,
    architectures: ['x86_64'],
    loggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/demo' },
    tags: {},
    state: 'Active',
    revisionId: `rev-${version ?? 'latest'}`,
    lastModified: '2026-01-01T00:00:00.000+0000',
    generation: 1,
    ...(version === undefined ? {} : { version }),
  };
}

function alias(
  name: string,
  functionVersion: string,
  weights?: Record<string, number>,
): AliasRecord {
  return {
    name,
    functionName: 'demo',
    functionVersion,
    description: '',
    revisionId: `alias-${name}`,
    ...(weights === undefined ? {} : { additionalVersionWeights: weights }),
  };
}

const versions = new Map([
  ['1', record('1')],
  ['2', record('2')],
]);
const aliases = new Map([
  ['live', alias('live', '1', { '2': 0.2 })],
  ['plain', alias('plain', '2')],
  ['edge', alias('edge', '$LATEST')],
  ['dangling', alias('dangling', '7')],
]);
const lookups: QualifierLookups = {
  getVersion: async (_name, v) => versions.get(v),
  getAlias: async (_name, a) => aliases.get(a),
};
const latest = async (): Promise<FunctionRecord | undefined> => record();

describe('pickAliasVersion', () => {
  const live = alias('live', '1', { '2': 0.2 });
  const cases: Array<[string, AliasRecord, number, string]> = [
    ['roll under the weight goes to the additional version', live, 0.0, '2'],
    ['roll just under the weight still goes there', live, 0.1999, '2'],
    ['roll at the weight stays on the primary', live, 0.2, '1'],
    ['high roll stays on the primary', live, 0.99, '1'],
    ['no routing config always picks the primary', alias('a', '3'), 0.0, '3'],
    ['weight 0 never routes', alias('a', '1', { '2': 0 }), 0.0, '1'],
    ['weight 1 always routes', alias('a', '1', { '2': 1 }), 0.999, '2'],
  ];
  for (const [title, a, roll, expected] of cases) {
    it(title, () =>
      assert.equal(
        pickAliasVersion(a, () => roll),
        expected,
      ),
    );
  }
});

describe('resolveQualifier', () => {
  const cases: Array<[string, string | undefined, number, string | undefined]> = [
    ['no qualifier runs $LATEST', undefined, 0.5, '$LATEST'],
    ['$LATEST runs $LATEST', '$LATEST', 0.5, '$LATEST'],
    ['a version number runs that version', '2', 0.5, '2'],
    ['a weighted alias picks its primary version on a high roll', 'live', 0.5, '1'],
    ['a weighted alias picks the additional version on a low roll', 'live', 0.1, '2'],
    ['an alias without weights runs its version', 'plain', 0.0, '2'],
    ['an alias on $LATEST runs $LATEST', 'edge', 0.0, '$LATEST'],
    ['a missing version names nothing', '9', 0.5, undefined],
    ['a missing alias names nothing', 'nope', 0.5, undefined],
    ['an alias whose version is gone names nothing', 'dangling', 0.5, undefined],
  ];
  for (const [title, qualifier, roll, expected] of cases) {
    it(title, async () => {
      const resolved = await resolveQualifier(lookups, latest, 'demo', qualifier, () => roll);
      assert.equal(resolved?.executedVersion, expected);
      if (expected !== undefined) assert.equal(resolved?.record.environment.RUNS, expected);
    });
  }

  it('answers undefined for $LATEST when the function does not exist', async () => {
    const none = async (): Promise<FunctionRecord | undefined> => undefined;
    assert.equal(await resolveQualifier(lookups, none, 'demo', '$LATEST'), undefined);
  });

  it('tells version numbers from aliases and $LATEST', () => {
    assert.deepEqual(['1', '42', '$LATEST', 'live', '2024-01-02', ''].map(isVersionNumber), [
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
