/**
 * @module
 * A curl-like HTTP client for suites that assert what the gateway hands a function: the path is
 * sent byte for byte (no normalisation of `//` or escapes), headers go out exactly as listed
 * (repeats and casing kept; only `Host`, `Connection: close` and `Content-Length` are added),
 * and the answer keeps its raw header list.
 */
import { request } from 'node:http';

export interface RawRequest {
  method?: string;
  /** Path and query exactly as they go on the request line, e.g. `//a/b%2Fc?x=1&x=2`. */
  path: string;
  /** In order; a name may repeat. */
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: Buffer | string;
  /** The Host header. @defaultValue the endpoint's host:port */
  host?: string;
}

export interface RawResponse {
  status: number;
  /** `[name, value]` in arrival order, original casing, repeats kept. */
  headers: Array<[string, string]>;
  body: Buffer;
  text: string;
}

/** Every value of a response header (names compare case-insensitively). */
export function headerValues(res: RawResponse, name: string): string[] {
  const wanted = name.toLowerCase();
  return res.headers.filter(([n]) => n.toLowerCase() === wanted).map(([, v]) => v);
}

export async function rawRequest(endpoint: string, req: RawRequest): Promise<RawResponse> {
  const url = new URL(endpoint);
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  const flat: string[] = ['Host', req.host ?? url.host];
  for (const [name, value] of req.headers ?? []) flat.push(name, value);
  if (body !== undefined) flat.push('Content-Length', String(body.length));
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method ?? 'GET',
        path: req.path,
        headers: flat,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const headers: Array<[string, string]> = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
            headers.push([res.rawHeaders[i] ?? '', res.rawHeaders[i + 1] ?? '']);
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers,
            body: bytes,
            text: bytes.toString('utf8'),
          });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
