/**
 * @module
 * Which `Runtime` values a function may name. lambdock runs the runtimes it ships images for;
 * a runtime AWS has retired gets AWS's retirement message; a runtime AWS offers and lambdock
 * does not ship gets a message that says so and names the way out (a container image); anything
 * else gets AWS's enum message, with AWS's list (aws-oracle, CreateFunction's runtime errors).
 */
import { RUNTIMES, invalidParameter } from '@lambdock/core';

/**
 * The runtimes AWS names in its enum message, in its order (recorded 2026-01); also the ones
 * PublishLayerVersion's model takes as compatible.
 */
export const AWS_RUNTIMES = [
  'nodejs20.x',
  'python3.14',
  'provided.al2023',
  'python3.12',
  'python3.13',
  'nodejs24.x',
  'nodejs22.x',
  'java25',
  'python3.10',
  'python3.11',
  'java21',
  'ruby3.3',
  'ruby3.4',
  'ruby3.2',
  'python3.8',
  'python3.9',
  'java17',
  'nodejs16.x',
  'dotnet10',
  'dotnet8',
  'java11',
  'dotnet6',
  'nodejs18.x',
  'provided.al2',
  'java8.al2',
] as const;

/**
 * Runtimes of the API's model that AWS no longer takes for creating or updating a function.
 * AWS has retired `provided` as well; lambdock still runs it (RUNTIMES).
 */
const RETIRED_RUNTIMES: ReadonlySet<string> = new Set([
  'nodejs',
  'nodejs4.3',
  'nodejs4.3-edge',
  'nodejs6.10',
  'nodejs8.10',
  'nodejs10.x',
  'nodejs12.x',
  'nodejs14.x',
  'java8',
  'python2.7',
  'python3.6',
  'python3.7',
  'dotnetcore1.0',
  'dotnetcore2.0',
  'dotnetcore2.1',
  'dotnetcore3.1',
  'go1.x',
  'ruby2.5',
  'ruby2.7',
]);

/** Throws InvalidParameterValueException unless lambdock can run `runtime`. */
export function checkRuntime(runtime: string): void {
  if ((RUNTIMES as readonly string[]).includes(runtime)) return;
  if (RETIRED_RUNTIMES.has(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime while creating or updating functions.`,
    );
  }
  if ((AWS_RUNTIMES as readonly string[]).includes(runtime)) {
    throw invalidParameter(
      `The runtime parameter of ${runtime} is not supported by lambdock, which runs ${RUNTIMES.join(', ')}. Package the function as a container image (PackageType Image) to run it on any other runtime.`,
    );
  }
  throw invalidParameter(
    `Value ${runtime} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${AWS_RUNTIMES.join(', ')}] or be a valid ARN`,
  );
}
