/**
 * @module
 * What the storage-webhook end-to-end suite needs beside its stack: the recorded notification
 * bodies (AWS, MinIO, Ceph RGW captures), what MinIO's and RGW's records become as AWS's S3
 * event, and calls to the webhooks, triggers and storage-events endpoints.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { awaitReceived as awaitEvents, type Received as FunctionEvent } from './function-events.js';
import type { Stack } from './stack.js';

export const GATEWAY_FIXTURES = new URL(
  '../../../gateway/test/fixtures/s3-events/',
  import.meta.url,
);
export const CAPTURES = new URL('../../fixtures/s3-events/', import.meta.url);
/** How long a test waits for the events it expects. */
const WAIT_MS = 45_000;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const AWS_KEY = 'uploads/summer+2024/cat+pic%2B1+%28caf%C3%A9%29.jpg';

export type Json = Record<string, unknown>;
export interface S3Record {
  eventName: string;
  responseElements: { 'x-amz-request-id': string };
  s3: { configurationId: string; object: { key: string } };
}
type Received = FunctionEvent<{ Records: S3Record[] }>;
interface Reply {
  status: number;
  json: Json;
}

export function readJson(dir: URL, file: string): Json {
  return JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Json;
}

export function firstRecord(body: Json): Json {
  return (body['Records'] as Json[])[0] ?? {};
}

/** The record AWS delivers for the configuration `configurationId`. */
export function withConfiguration(record: Json, configurationId: string): Json {
  const copy = structuredClone(record) as { s3: Json };
  copy.s3['configurationId'] = configurationId;
  return copy;
}

export async function call(
  stack: Stack,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply> {
  const res = await fetch(`${stack.endpoint}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as Json) };
}

export async function createWebhook(stack: Stack, name: string): Promise<string> {
  const reply = await call(stack, 'POST', '/lambdock/v1/webhooks', { Name: name });
  assert.equal(reply.status, 201, JSON.stringify(reply.json));
  return String(reply.json['Secret']);
}

export async function createTrigger(stack: Stack, body: Json): Promise<void> {
  const reply = await call(stack, 'POST', '/lambdock/v1/storage-triggers', body);
  assert.equal(reply.status, 201, JSON.stringify(reply.json));
}

export interface Auth {
  bearer?: string;
  token?: string;
  header?: string;
}

export async function post(
  stack: Stack,
  webhook: string,
  body: unknown,
  auth: Auth,
): Promise<Reply> {
  const query = auth.token === undefined ? '' : `?token=${encodeURIComponent(auth.token)}`;
  const authorization =
    auth.header ?? (auth.bearer === undefined ? undefined : `Bearer ${auth.bearer}`);
  const res = await fetch(`${stack.endpoint}/lambdock/v1/storage-events/${webhook}${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization === undefined ? {} : { authorization }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

/** Every event `fn` received after `mark`, once `count` arrived and nothing more came. */
export const awaitReceived = (
  stack: Stack,
  fn: string,
  mark: string | undefined,
  count: number,
): Promise<Received[]> => awaitEvents<Received['event']>(stack, fn, mark, count, WAIT_MS);

export function byRequestId(received: Received[]): Map<string, S3Record> {
  return new Map(
    received.map(({ event }) => {
      assert.equal(event.Records.length, 1, 'one record per invocation');
      const record = event.Records[0] as S3Record;
      return [record.responseElements['x-amz-request-id'], record];
    }),
  );
}

/** What a MinIO record becomes: AWS's fields only, AWS's key encoding, the configured region. */
export function minioAsAws(recorded: Json, configurationId: string, object: Json): Json {
  const r = recorded as {
    eventTime: string;
    eventName: string;
    responseElements: Json;
  };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: r.eventTime,
    eventName: r.eventName.replace(/^s3:/, ''),
    userIdentity: { principalId: 'minioadmin' },
    requestParameters: { sourceIPAddress: '172.18.0.1' },
    responseElements: {
      'x-amz-request-id': r.responseElements['x-amz-request-id'],
      'x-amz-id-2': r.responseElements['x-amz-id-2'],
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: {
        name: 'photos',
        ownerIdentity: { principalId: 'minioadmin' },
        arn: 'arn:aws:s3:::photos',
      },
      object,
    },
  };
}

/**
 * What the RGW captures become: microseconds cut to milliseconds, the configured region and a
 * stand-in client address for RGW's "", AWS's key encoding, no size or ETag on a removal, and
 * RGW's extras (eventId, opaqueData, bucket id, metadata, tags, empty versionId) left behind.
 */
export function rgwAsAws(recorded: Json, configurationId: string): Json {
  const r = recorded as { eventTime: string; eventName: string; responseElements: Json };
  const o = (recorded as { s3: { object: Json } }).s3.object;
  const removal = r.eventName.startsWith('ObjectRemoved:');
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: r.eventTime.replace(/(\.\d{3})\d*Z$/, '$1Z'),
    eventName: r.eventName,
    userIdentity: { principalId: 'lambdock' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: r.responseElements,
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: {
        name: 'photos',
        ownerIdentity: { principalId: 'lambdock' },
        arn: 'arn:aws:s3:::photos',
      },
      object: {
        key: 'uploads/cat+pic.jpg',
        ...(removal ? {} : { size: o['size'], eTag: o['eTag'] }),
        sequencer: o['sequencer'],
      },
    },
  };
}
