/** Debian's AWS CLI v2 against a stack, with its own HOME and the given keys, one attempt. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLE } from './lambda.js';
import { zipFixture } from './zip.js';

/** Debian's CLI v2; another `aws` earlier on PATH may be a different major version. */
export const AWS_CLI = process.env.AWS_CLI ?? '/usr/bin/aws';

export interface CliTarget {
  endpoint: string;
  /** HOME for the CLI: no profile or cache of the host's leaks in. */
  home: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** The CLI's environment for `target`: its own HOME and keys, one attempt per call. */
export function cliEnv(target: CliTarget): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    HOME: target.home,
    AWS_ACCESS_KEY_ID: target.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
  };
}

/** `aws lambda <args>`; stderr says so when the 120 s limit killed it. */
export function awsLambda(target: CliTarget, ...args: string[]): CliResult {
  return awsCli(target, 'lambda', ...args);
}

/** `aws <service> <args>` against the stack, JSON output, at most 120 s. */
export function awsCli(target: CliTarget, service: string, ...args: string[]): CliResult {
  const result = spawnSync(
    AWS_CLI,
    ['--endpoint-url', target.endpoint, '--output', 'json', service, ...args],
    { encoding: 'utf8', timeout: 120_000, env: cliEnv(target) },
  );
  return {
    status: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.signal ? `killed by ${result.signal}: ${result.stderr}` : result.stderr,
  };
}

/**
 * `create-function` arguments for the node-echo fixture, its zip written into `dir` and passed
 * as `fileb://`, the way the CLI uploads a file.
 */
export async function echoFunctionArgs(dir: string, name: string): Promise<string[]> {
  const zip = join(dir, `${name}.zip`);
  writeFileSync(zip, await zipFixture('node-echo'));
  return [
    'create-function',
    '--function-name',
    name,
    '--runtime',
    'nodejs20.x',
    '--handler',
    'index.handler',
    '--role',
    ROLE,
    '--zip-file',
    `fileb://${zip}`,
  ];
}
