/**
 * @module
 * ARN builders. Parsing of caller-supplied names and ARNs lives in function-name.ts.
 */

export interface ArnContext {
  readonly region: string;
  readonly accountId: string;
}

export function functionArn(ctx: ArnContext, name: string, qualifier?: string): string {
  const base = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;
  return qualifier === undefined ? base : `${base}:${qualifier}`;
}

export function logGroupName(name: string): string {
  return `/aws/lambda/${name}`;
}
