/**
 * @module
 * One runtime's connection to its Runtime API: HTTP/1.1 with keep-alive, pipelining,
 * `Expect: 100-continue` and chunked bodies, requests handled strictly one at a time in order.
 *
 * Answers written in the same turn leave in one write: a runtime pipelines its next `/next`
 * behind its answer, so when the next event is already waiting, the answer's 202 and that
 * event reach the runtime together, one wake-up instead of two. Nothing is parsed ahead: bytes
 * behind the request being handled wait unread, up to `maxAheadBytes`, past which the
 * connection is cut; a body is read only once its handler asks for it.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { createBodyDecoder, type BodyDecoder } from './body.js';
import type { BodyResult, Delivery, RuntimeReply, RuntimeRequest } from './exchange.js';
import { parseHead, type HeadResult, type RequestHead } from './head.js';

/** Why the connection refuses a request it cannot read; the refusal closes the connection. */
export type WireProblem =
  | { readonly kind: 'malformed'; readonly reason: string }
  | { readonly kind: 'head-too-large' }
  | { readonly kind: 'expectation'; readonly expect: string };

export interface ConnectionOptions {
  readonly dispatch: (request: RuntimeRequest, reply: RuntimeReply) => void;
  /** Renders the answer to a request that cannot be read. */
  readonly refuse: (reply: RuntimeReply, problem: WireProblem) => void;
  /** Told when a connection is cut for sending too much ahead. */
  readonly onOverflow: (socket: Socket) => void;
  readonly maxHeadBytes: number;
  readonly maxAheadBytes: number;
}

interface Reader {
  readonly limit: number;
  readonly onData: ((chunk: Buffer) => void) | undefined;
  /** The bytes kept for the result: the body's first `keep`. */
  readonly keep: number;
  readonly chunks: Buffer[];
  size: number;
  readonly resolve: (result: BodyResult) => void;
}

interface Exchange {
  readonly decoder: BodyDecoder;
  /** The runtime waits for `100 Continue` before it sends the body. */
  readonly expectsContinue: boolean;
  /** HTTP/1.0 without keep-alive, or `Connection: close`. */
  readonly closeAfter: boolean;
  reader: Reader | undefined;
  /** The body is no longer wanted (answered without it, or past the reader's cap). */
  discard: boolean;
  continued: boolean;
  replied: boolean;
  gone: Array<() => void> | undefined;
}

const EMPTY: Buffer = Buffer.alloc(0);
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n';
/** Header names the connection writes itself. */
const OWN_FIELDS = new Set(['content-length', 'connection', 'transfer-encoding']);

export function serveConnection(socket: Socket, options: ConnectionOptions): void {
  let input: Buffer = EMPTY;
  let current: Exchange | undefined;
  let ending = false;
  let readEnded = false;
  let reading = true;
  let advancing = false;
  let corked = false;
  /** Answers that leave with the next one (`with-next`). */
  const held: Buffer[] = [];

  /** Writes of this turn leave together once its synchronous work is done. */
  const batch = (): void => {
    if (corked) return;
    corked = true;
    socket.cork();
    process.nextTick(() => {
      corked = false;
      socket.uncork();
    });
  };

  const setReading = (on: boolean): void => {
    if (on === reading) return;
    reading = on;
    if (on) socket.resume();
    else socket.pause();
  };

  const flush = (): void => {
    if (held.length === 0) return;
    batch();
    for (const bytes of held.splice(0)) socket.write(bytes);
  };

  const finish = (): void => {
    ending = true;
    setReading(false);
    flush();
    socket.end();
  };

  // The head at the start of `input`, parsed once: a held 202 looks at it, then startNext takes
  // it. `input` is a new buffer whenever its bytes change, which is what the cache is keyed on.
  let ahead: { readonly input: Buffer; readonly result: HeadResult } | undefined;
  const headOfInput = (): HeadResult => {
    if (ahead?.input !== input) ahead = { input, result: parseHead(input, options.maxHeadBytes) };
    return ahead.result;
  };

  /** The runtime's next request is already here, whole. */
  const nextIsWaiting = (): boolean => headOfInput().kind === 'head';

  const settleReader = (ex: Exchange, result: BodyResult): void => {
    const reader = ex.reader;
    ex.reader = undefined;
    if (result.kind !== 'ok') ex.discard = true;
    reader?.resolve(result);
  };

  const send = (
    ex: Exchange,
    status: number,
    headers: Readonly<Record<string, string>>,
    body: Buffer,
    delivery: Delivery,
  ): void => {
    if (ex.replied) return;
    // A runtime that was never told to go on may or may not send its body: only closing the
    // connection leaves no doubt where the next request starts.
    const unread = ex.expectsContinue && !ex.continued && !ex.decoder.done;
    const keepAlive = delivery !== 'close' && !ex.closeAfter && !unread;
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      if (OWN_FIELDS.has(name.toLowerCase())) continue;
      if (/[\r\n\0]/.test(value)) throw new Error(`header ${name} has a line break`);
      head += `${name}: ${value}\r\n`;
    }
    head += `Content-Length: ${body.length}\r\n${keepAlive ? '' : 'Connection: close\r\n'}\r\n`;
    ex.replied = true;
    if (ending || socket.destroyed) return;
    if (delivery === 'with-next' && keepAlive && ex.decoder.done && nextIsWaiting()) {
      held.push(Buffer.from(head, 'latin1'), body);
      return advance();
    }
    flush();
    batch();
    socket.write(head, 'latin1');
    if (body.length > 0) socket.write(body);
    if (!keepAlive) finish();
    advance();
  };

  const replyTo = (ex: Exchange): RuntimeReply => ({
    get settled() {
      return ex.replied || ex.gone === undefined;
    },
    send: (status, headers, body, delivery = 'now') => send(ex, status, headers, body, delivery),
    onGone: (listener) => void ex.gone?.push(listener),
  });

  const requestOf = (ex: Exchange, head: RequestHead): RuntimeRequest => ({
    method: head.method,
    path: head.target.split('?', 1)[0] ?? '/',
    headers: head.headers,
    readBody: (limit, onData, keep = limit) =>
      new Promise<BodyResult>((resolve) => {
        if (ex.gone === undefined || ex.discard) return resolve({ kind: 'aborted' });
        if (ex.decoder.done) return resolve({ kind: 'ok', body: EMPTY, trailers: {} });
        if (head.framing.kind === 'length' && head.framing.length > limit) {
          ex.discard = true;
          return resolve({ kind: 'too-large' });
        }
        ex.reader = { limit, onData, keep, chunks: [], size: 0, resolve };
        if (ex.expectsContinue && !ex.continued) {
          ex.continued = true;
          batch();
          socket.write(CONTINUE, 'latin1');
        }
        advance();
      }),
  });

  const exchange = (
    decoder: BodyDecoder,
    expectsContinue: boolean,
    closeAfter: boolean,
  ): Exchange => ({
    decoder,
    expectsContinue,
    closeAfter,
    reader: undefined,
    discard: false,
    continued: false,
    replied: false,
    gone: [],
  });

  /** Hands decoded body bytes to the reader, within its cap. */
  const take = (ex: Exchange, data: Buffer[]): void => {
    for (const chunk of data) {
      const reader = ex.reader;
      if (reader === undefined) return;
      const before = reader.size;
      reader.size += chunk.length;
      if (reader.size > reader.limit) return settleReader(ex, { kind: 'too-large' });
      if (reader.size <= reader.keep) reader.chunks.push(chunk);
      else if (before < reader.keep) reader.chunks.push(chunk.subarray(0, reader.keep - before));
      reader.onData?.(chunk);
    }
  };

  /** Reads the current request's body as far as the bytes in hand go; true on progress. */
  const readBodyStep = (ex: Exchange): boolean => {
    if (ex.reader === undefined && !ex.discard && !ex.replied) {
      setReading(false); // the handler has not asked for the body yet
      return false;
    }
    if (input.length === 0) {
      if (readEnded) settleReader(ex, { kind: 'aborted' });
      setReading(!readEnded);
      return false;
    }
    const fed = ex.decoder.feed(input);
    if ('error' in fed) {
      settleReader(ex, { kind: 'aborted' });
      options.refuse(replyTo(ex), { kind: 'malformed', reason: fed.error });
      finish();
      return false;
    }
    input = input.subarray(fed.used);
    take(ex, fed.data);
    if (ex.decoder.done) {
      const reader = ex.reader;
      if (reader !== undefined) {
        settleReader(ex, {
          kind: 'ok',
          body: Buffer.concat(reader.chunks),
          trailers: ex.decoder.trailers,
        });
      }
      return true;
    }
    return fed.used > 0;
  };

  const startNext = (): boolean => {
    if (input.length === 0) {
      if (readEnded) finish();
      return false;
    }
    const parsed = headOfInput();
    if (parsed.kind === 'incomplete') {
      if (readEnded) finish();
      return false;
    }
    if (parsed.kind === 'bad') {
      const problem = parsed.tooLarge
        ? ({ kind: 'head-too-large' } as const)
        : ({ kind: 'malformed', reason: parsed.reason } as const);
      options.refuse(
        replyTo(exchange(createBodyDecoder({ kind: 'length', length: 0 }), false, true)),
        problem,
      );
      finish();
      return false;
    }
    const { head } = parsed;
    input = input.subarray(head.bytes);
    const connection = (head.headers.connection ?? '').toLowerCase();
    const closeAfter = head.http10
      ? !connection.includes('keep-alive')
      : connection.includes('close');
    const decoder = createBodyDecoder(head.framing);
    const expect = head.headers.expect;
    const ex = exchange(
      decoder,
      expect?.toLowerCase() === '100-continue' && !decoder.done,
      closeAfter,
    );
    current = ex;
    if (expect !== undefined && expect.toLowerCase() !== '100-continue') {
      options.refuse(replyTo(ex), { kind: 'expectation', expect });
      finish();
      return false;
    }
    options.dispatch(requestOf(ex, head), replyTo(ex));
    return true;
  };

  const step = (): boolean => {
    if (ending || socket.destroyed) return false;
    const ex = current;
    if (ex === undefined) return startNext();
    if (!ex.decoder.done) return readBodyStep(ex);
    if (!ex.replied) {
      if (input.length > options.maxAheadBytes) {
        options.onOverflow(socket);
        socket.destroy();
      }
      setReading(!readEnded);
      return false;
    }
    current = undefined;
    return true;
  };

  function advance(): void {
    if (advancing) return;
    advancing = true;
    try {
      while (step());
    } finally {
      advancing = false;
    }
  }

  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    input = input.length === 0 ? chunk : Buffer.concat([input, chunk]);
    advance();
  });
  socket.on('end', () => {
    readEnded = true;
    advance();
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    const ex = current;
    current = undefined;
    if (ex === undefined) return;
    settleReader(ex, { kind: 'aborted' });
    const gone = ex.gone;
    ex.gone = undefined;
    if (!ex.replied) for (const listener of gone ?? []) listener();
  });
}
