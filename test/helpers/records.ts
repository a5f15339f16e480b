/**
 * @module
 * A stored function record for store-level tests (an Active zip function), as the gateway's
 * CreateFunction and the worker's prepare job leave it.
 */
import type { FunctionRecord } from '@lambdock/core';

export function functionRecord(
  name: string,
  overrides: Partial<FunctionRecord> = {},
): FunctionRecord {
  return {
    name,
    packageType: 'Zip',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::000000000000:role/r',
    description: 'latest',
    timeoutS: 3,
    memoryMb: 128,
    ephemeralStorageMb: 512,
    environment: {},
    codeSha256: 'c0de',
    codeKey: 'ab'.repeat(32),
    codeSize: 10,
    architectures: ['x86_64'],
    loggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
    tags: {},
    state: 'Active',
    lastUpdateStatus: 'Successful',
    revisionId: 'latest-rev',
    lastModified: '2026-01-01T00:00:00.000+0000',
    generation: 1,
    ...overrides,
  };
}
