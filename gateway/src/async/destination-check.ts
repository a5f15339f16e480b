/**
 * @module
 * The service's checks of destinations, after the model constraints passed: the target must be
 * one lambdock delivers to (a function, an SQS/SNS ARN naming a lambdock queue, an http(s)
 * URL), a function target must exist in this region and account, and a function may not be
 * its own destination. Messages are AWS's.
 */
import { AppError, ERRORS, parseDestinationTarget, type ArnContext } from '@lambdock/core';
import type { FunctionStore } from '../deps.js';
import type { DestinationSide, EventConfigInput } from './event-config-input.js';

function describeSide(name: 'OnSuccess' | 'OnFailure', side: DestinationSide): string {
  if (side === undefined) return 'null';
  return `${name}(destination=${side.destination ?? 'null'})`;
}

/** AWS prints the whole DestinationConfig as its Java toString. */
function invalidConfig(config: NonNullable<EventConfigInput['destinationConfig']>): AppError {
  const text = `DestinationConfig(onSuccess=${describeSide('OnSuccess', config.onSuccess)}, onFailure=${describeSide('OnFailure', config.onFailure)})`;
  return new AppError(
    ERRORS.INVALID_PARAMETER,
    `The provided destination config ${text} is invalid.`,
  );
}

export async function checkDestinations(
  input: EventConfigInput,
  functionName: string,
  ctx: ArnContext,
  registry: Pick<FunctionStore, 'get'>,
): Promise<void> {
  const config = input.destinationConfig;
  if (config === undefined) return;
  for (const side of [config.onSuccess, config.onFailure]) {
    const destination = side?.destination;
    if (destination === undefined) continue;
    const target = parseDestinationTarget(destination);
    if (target === undefined) throw invalidConfig(config);
    if (target.kind !== 'function') continue;
    if (target.functionName === functionName) {
      throw new AppError(
        ERRORS.INVALID_PARAMETER,
        "You can't specify the function as a destination for itself.",
      );
    }
    const here = target.region === ctx.region && target.accountId === ctx.accountId;
    if (!here || (await registry.get(target.functionName)) === undefined) {
      throw new AppError(
        ERRORS.INVALID_PARAMETER,
        `The destination ARN ${destination} is invalid.`,
      );
    }
  }
}
