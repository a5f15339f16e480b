/**
 * Requests signed by AWS's own SigV4 signer (the one inside the JS SDK), sent over plain HTTP
 * with exactly the signed headers, so a test controls the Host and can tamper after signing.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): string | Uint8Array {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

export interface SignOptions {
  method: string;
  /** `host:port`, as the Host header will carry it. */
  host: string;
  /** Percent-encoded as it goes on the wire. */
  path: string;
  query?: Record<string, string>;
  body?: string | Buffer;
  headers?: Record<string, string>;
  accessKeyId: string;
  secretAccessKey: string;
  region?: string;
  service?: string;
  signingDate?: Date;
}

export interface SignedRequest {
  method: string;
  host: string;
  path: string;
  rawQuery: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string | Buffer;
}

const rfc3986 = (text: string): string =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function signerOf(options: SignOptions): SignatureV4 {
  return new SignatureV4({
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    region: options.region ?? 'us-east-1',
    service: options.service ?? 'lambda',
    sha256: NodeSha256,
  });
}

/** A GET presigned in its query by AWS's signer, as a URL. */
export async function presignUrl(options: SignOptions, expiresIn: number): Promise<string> {
  const [hostname = '', port = '80'] = options.host.split(':');
  const presigned = await signerOf(options).presign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname,
      port: Number(port),
      path: options.path,
      query: options.query ?? {},
      headers: { host: options.host },
    },
    { expiresIn },
  );
  const query = Object.entries(presigned.query ?? {})
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(String(v))}`)
    .join('&');
  return `http://${options.host}${options.path}?${query}`;
}

export async function signRequest(options: SignOptions): Promise<SignedRequest> {
  const signer = signerOf(options);
  const [hostname = '', port = '80'] = options.host.split(':');
  const body = options.body ?? '';
  const signed = await signer.sign(
    {
      method: options.method,
      protocol: 'http:',
      hostname,
      port: Number(port),
      path: options.path,
      query: options.query ?? {},
      headers: {
        host: options.host,
        ...(body.length === 0 ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body,
    },
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  const rawQuery = Object.entries(options.query ?? {})
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`)
    .join('&');
  return {
    method: options.method,
    host: options.host,
    path: options.path,
    rawQuery,
    headers,
    body,
  };
}

export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Send `signed` to 127.0.0.1 at `port` as it is (or with `body` in place of the signed one). */
export function send(port: number, signed: SignedRequest, body = signed.body): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: signed.method,
        path: signed.rawQuery === '' ? signed.path : `${signed.path}?${signed.rawQuery}`,
        headers: { ...signed.headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
