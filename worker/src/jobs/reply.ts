/**
 * @module
 * The result of an invoke job in both forms the gateway reads: the binary frame published on
 * its reply channel (fast path) and the InvokeJobResult BullMQ keeps (fallback).
 */
import { encodeReply, type InvokeJobResult, type InvokeResultHeader } from '@lambdock/core';
import { logTail } from '../invoke/log-frame.js';
import type { Execution } from './execute.js';

export interface Reply {
  readonly header: InvokeResultHeader;
  readonly payload: Buffer;
}

export async function replyFor(
  requestId: string,
  version: string,
  execution: Execution,
  withLogTail: boolean,
): Promise<Reply> {
  if (execution.kind === 'rejected') {
    const { code, message } = execution.rejection;
    return {
      header: {
        requestId,
        outcome: 'rejected',
        executedVersion: version,
        error: { code, message },
      },
      payload: Buffer.alloc(0),
    };
  }
  const { result } = execution;
  const header: InvokeResultHeader = {
    requestId,
    outcome: result.outcome,
    executedVersion: version,
  };
  if (result.contentType !== undefined) header.contentType = result.contentType;
  if (withLogTail) header.logResult = logTail(await result.log.catch(() => ''));
  return { header, payload: result.payload };
}

export function toJobResult(reply: Reply): InvokeJobResult {
  return { ...reply.header, payloadBase64: reply.payload.toString('base64') };
}

export function encode(reply: Reply): Buffer {
  return encodeReply(reply.header, reply.payload);
}
