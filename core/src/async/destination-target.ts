/**
 * @module
 * What a dead-letter or destination setting points at. Three kinds: a Lambda function ARN
 * (the record is invoked asynchronously), an SQS or SNS ARN (the lambdock queue named by the
 * ARN's last segment) and an `http://` / `https://` URL (the record is POSTed). Anything else
 * is not a target lambdock can deliver to.
 */

export type DestinationTarget =
  | {
      readonly kind: 'function';
      readonly region: string;
      readonly accountId: string;
      readonly functionName: string;
      readonly qualifier?: string;
    }
  | { readonly kind: 'queue'; readonly service: 'sqs' | 'sns'; readonly queueName: string }
  | { readonly kind: 'webhook'; readonly url: string };

/** SQS queue names and SNS topic names share this character set (SNS allows 256). */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9_.-]{1,256}$/;

const FUNCTION_ARN =
  /^arn:aws[a-zA-Z0-9-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
const QUEUE_ARN = /^arn:aws[a-zA-Z0-9-]*:(sqs|sns):[a-z0-9-]+:\d{12}:([^:]+)$/;

function webhook(value: string): DestinationTarget | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.hostname === '') return undefined;
  return { kind: 'webhook', url: url.toString() };
}

/** Classify a target; `undefined` when lambdock cannot deliver there. */
export function parseDestinationTarget(value: string): DestinationTarget | undefined {
  if (/^https?:\/\//i.test(value)) return webhook(value);
  const fn = FUNCTION_ARN.exec(value);
  if (fn !== null) {
    const [, region = '', accountId = '', functionName = '', qualifier] = fn;
    return qualifier === undefined
      ? { kind: 'function', region, accountId, functionName }
      : { kind: 'function', region, accountId, functionName, qualifier };
  }
  const queue = QUEUE_ARN.exec(value);
  if (queue !== null) {
    const [, service, queueName = ''] = queue;
    if (!QUEUE_NAME_PATTERN.test(queueName)) return undefined;
    return { kind: 'queue', service: service === 'sns' ? 'sns' : 'sqs', queueName };
  }
  return undefined;
}
