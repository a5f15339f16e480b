/**
 * @module
 * Storage webhooks and their trigger rules as the API and the sources file take them. A webhook
 * is a named endpoint with a secret (kept only as its SHA-256; shown once, at creation); a
 * trigger routes that webhook's records for one bucket, event types and key filters to a
 * function. Several triggers may match one record.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import {
  AppError,
  ERRORS,
  validationError,
  type ArnContext,
  type ManagedBy,
  type TriggerRecord,
  type WebhookRecord,
} from '@lambdock/core';
import { validateTriggerRule } from '../storage-events/trigger-rules.js';
import { readTarget } from './target-input.js';

const WEBHOOK_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const TRIGGER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const MIN_SECRET_LENGTH = 16;

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretHashMatches(storedHex: string, presented: string | undefined): boolean {
  if (presented === undefined || storedHex.length !== 64) return false;
  return timingSafeEqual(
    Buffer.from(storedHex, 'hex'),
    createHash('sha256').update(presented, 'utf8').digest(),
  );
}

export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function readWebhookName(name: unknown): string {
  if (typeof name !== 'string' || !WEBHOOK_NAME.test(name))
    throw validationError(['Name must be 1 to 64 letters, digits, ., _ or -']);
  return name;
}

export function readSecret(secret: unknown): string | undefined {
  if (secret === undefined || secret === null) return undefined;
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH || secret.length > 512)
    throw validationError([`Secret must be a string of ${MIN_SECRET_LENGTH} to 512 characters`]);
  return secret;
}

export function newWebhookRecord(
  name: string,
  secret: string,
  managedBy: ManagedBy,
  nowIso: string,
): WebhookRecord {
  return { name, secretSha256: hashSecret(secret), createdAt: nowIso, managedBy };
}

export function webhookPath(name: string): string {
  return `/lambdock/v1/storage-events/${name}`;
}

export function renderWebhook(hook: WebhookRecord, secret?: string): Record<string, unknown> {
  return {
    Name: hook.name,
    Endpoint: webhookPath(hook.name),
    ...(secret === undefined ? {} : { Secret: secret }),
    ManagedBy: hook.managedBy,
    CreatedAt: hook.createdAt,
  };
}

/** Read a trigger from PascalCase members (API and sources file alike). */
export function readTrigger(
  body: Record<string, unknown>,
  ctx: ArnContext,
  id: string,
  managedBy: ManagedBy,
  nowIso: string,
): TriggerRecord {
  if (!TRIGGER_ID.test(id))
    throw validationError(['Id must be 1 to 64 letters, digits, ., _ or -']);
  const webhook = readWebhookName(body.Webhook);
  const target = readTarget(body, ctx);
  const checked = validateTriggerRule({
    id,
    bucket: body.Bucket,
    events: body.Events,
    ...(body.Prefix === undefined ? {} : { prefix: body.Prefix }),
    ...(body.Suffix === undefined ? {} : { suffix: body.Suffix }),
    functionName: target.functionName,
    ...(target.qualifier === undefined ? {} : { qualifier: target.qualifier }),
  });
  if (!checked.ok) throw new AppError(ERRORS.INVALID_PARAMETER, checked.message);
  return { ...checked.rule, webhook, managedBy, createdAt: nowIso };
}

export function renderTrigger(trigger: TriggerRecord): Record<string, unknown> {
  return {
    Id: trigger.id,
    Webhook: trigger.webhook,
    Bucket: trigger.bucket,
    Events: trigger.events,
    ...(trigger.prefix === undefined ? {} : { Prefix: trigger.prefix }),
    ...(trigger.suffix === undefined ? {} : { Suffix: trigger.suffix }),
    FunctionName: trigger.functionName,
    ...(trigger.qualifier === undefined ? {} : { Qualifier: trigger.qualifier }),
    ManagedBy: trigger.managedBy,
    CreatedAt: trigger.createdAt,
  };
}
