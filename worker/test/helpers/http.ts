/**
 * @module
 * A minimal HTTP client playing the runtime against a Runtime API listener.
 */
import { request as httpRequest, type Agent } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
}

export interface RequestOptions {
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Send the body chunked, ending with these trailers (streaming responses). */
  trailers?: Record<string, string>;
  agent?: Agent;
}

export function call(
  port: number,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.trailers) {
      headers['Transfer-Encoding'] = 'chunked';
      headers.Trailer = Object.keys(options.trailers).join(', ');
    }
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers, agent: options.agent ?? false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text: body.toString('utf8'),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    if (options.trailers) req.addTrailers(options.trailers);
    req.end();
  });
}

export const API = '/2018-06-01/runtime';

/** Parse a JSON error or result body into a typed record for assertions. */
export function json(text: string | Buffer): Record<string, unknown> {
  return JSON.parse(text.toString()) as Record<string, unknown>;
}
