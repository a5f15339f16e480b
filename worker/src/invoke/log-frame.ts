/**
 * @module
 * Lambda's per-invocation log framing: START, the function's output, END and the
 * tab-separated REPORT line (with Init Duration on cold starts), and the base64 tail returned
 * to callers that asked for `X-Amz-Log-Type: Tail`.
 */
import { DEFAULTS } from '@lambdock/core';

export interface ReportFields {
  readonly requestId: string;
  readonly durationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  readonly initDurationMs?: number;
  /** Platform-side failures, as Lambda reports them: `timeout`, or `error` with a type. */
  readonly status?: 'timeout' | 'error';
  readonly errorType?: string;
}

export interface FrameInput extends ReportFields {
  readonly version: string;
  /** Output written before the event was handed over (init, or between invocations). */
  readonly preOutput: Buffer;
  readonly output: Buffer;
  readonly truncated: boolean;
  readonly limitBytes: number;
}

export function billedDurationMs(durationMs: number): number {
  return Math.max(1, Math.ceil(durationMs));
}

export function reportLine(f: ReportFields): string {
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${billedDurationMs(f.durationMs)} ms\tMemory Size: ${f.memorySizeMb} MB\t` +
    `Max Memory Used: ${f.maxMemoryUsedMb} MB\t`;
  if (f.initDurationMs !== undefined) line += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  if (f.status !== undefined) line += `Status: ${f.status}\t`;
  if (f.status === 'error' && f.errorType !== undefined) line += `Error Type: ${f.errorType}\t`;
  return `${line}\n`;
}

function withNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}

export function truncationMarker(limitBytes: number): string {
  return `[lambdock] log output truncated: the invocation wrote more than ${limitBytes} bytes; the rest was dropped\n`;
}

export function frameInvocationLog(input: FrameInput): string {
  const pre = withNewline(input.preOutput.toString('utf8'));
  const body = withNewline(input.output.toString('utf8'));
  const marker = input.truncated ? truncationMarker(input.limitBytes) : '';
  return (
    `${pre}START RequestId: ${input.requestId} Version: ${input.version}\n` +
    `${body}${marker}END RequestId: ${input.requestId}\n${reportLine(input)}`
  );
}

/** Base64 of the last 4 KB of the framed log, as `X-Amz-Log-Result`. */
export function logTail(text: string, tailBytes = DEFAULTS.LOG_TAIL_BYTES): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.subarray(Math.max(0, bytes.length - tailBytes)).toString('base64');
}
