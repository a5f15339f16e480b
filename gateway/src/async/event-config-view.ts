/**
 * @module
 * Stored event invoke configs as AWS answers them (aws-oracle event_invoke_config): the ARN is
 * always qualified, DestinationConfig always has both sides (`{}` when unset), the two
 * error-handling settings appear only when set, LastModified is epoch seconds. And the two
 * ways a request changes a config: Put replaces it, Update merges into it.
 */
import { functionArn, type ArnContext, type EventInvokeConfig } from '@lambdock/core';
import type { DestinationSide, EventConfigInput } from './event-config-input.js';

export interface EventInvokeConfigView {
  DestinationConfig: { OnFailure: { Destination?: string }; OnSuccess: { Destination?: string } };
  FunctionArn: string;
  LastModified: number;
  MaximumEventAgeInSeconds?: number;
  MaximumRetryAttempts?: number;
}

const side = (destination: string | undefined): { Destination?: string } =>
  destination === undefined ? {} : { Destination: destination };

export function renderEventConfig(
  config: EventInvokeConfig,
  ctx: ArnContext,
): EventInvokeConfigView {
  return {
    DestinationConfig: { OnFailure: side(config.onFailure), OnSuccess: side(config.onSuccess) },
    FunctionArn: functionArn(ctx, config.functionName, config.qualifier),
    LastModified: config.lastModifiedMs / 1000,
    ...(config.maximumEventAgeInSeconds === undefined
      ? {}
      : { MaximumEventAgeInSeconds: config.maximumEventAgeInSeconds }),
    ...(config.maximumRetryAttempts === undefined
      ? {}
      : { MaximumRetryAttempts: config.maximumRetryAttempts }),
  };
}

export interface ConfigTarget {
  functionName: string;
  qualifier: string;
  nowMs: number;
}

function withDestination(
  config: EventInvokeConfig,
  key: 'onSuccess' | 'onFailure',
  given: DestinationSide,
): void {
  if (given === undefined) return;
  if (given.destination === undefined) delete config[key];
  else config[key] = given.destination;
}

/** PutFunctionEventInvokeConfig: the request is the whole new config. */
export function replaceConfig(input: EventConfigInput, target: ConfigTarget): EventInvokeConfig {
  const base: EventInvokeConfig = {
    functionName: target.functionName,
    qualifier: target.qualifier,
    lastModifiedMs: target.nowMs,
  };
  return mergeConfig(base, input, target.nowMs);
}

/** UpdateFunctionEventInvokeConfig: only the settings given change. */
export function mergeConfig(
  current: EventInvokeConfig,
  input: EventConfigInput,
  nowMs: number,
): EventInvokeConfig {
  const next: EventInvokeConfig = { ...current, lastModifiedMs: nowMs };
  if (input.maximumRetryAttempts !== undefined)
    next.maximumRetryAttempts = input.maximumRetryAttempts;
  if (input.maximumEventAgeInSeconds !== undefined)
    next.maximumEventAgeInSeconds = input.maximumEventAgeInSeconds;
  if (input.destinationConfig !== undefined) {
    withDestination(next, 'onSuccess', input.destinationConfig.onSuccess);
    withDestination(next, 'onFailure', input.destinationConfig.onFailure);
  }
  return next;
}
