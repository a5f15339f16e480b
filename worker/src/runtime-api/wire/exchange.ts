/**
 * @module
 * What a Runtime API handler sees of one request and its answer: the handlers know nothing of
 * sockets, so the wire can batch, order and bound them (connection.ts).
 */

export type BodyResult =
  | {
      readonly kind: 'ok';
      readonly body: Buffer;
      readonly trailers: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'aborted' };

export interface RuntimeRequest {
  readonly method: string;
  /** The request target without its query. */
  readonly path: string;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The body, up to `limitBytes`: past the cap the result is `too-large` at once, and the piece
   * that crossed it and everything after are neither kept nor passed on. Each piece within the
   * cap goes to `onData` as it arrives; the result keeps the first `keepBytes` of them
   * (@defaultValue `limitBytes`), so a relayed stream can run longer than what is held of it.
   */
  readBody(
    limitBytes: number,
    onData?: (chunk: Buffer) => void,
    keepBytes?: number,
  ): Promise<BodyResult>;
}

/**
 * When an answer leaves: `now`; `close`, now and then the connection ends; or `with-next`:
 * when the runtime has already sent its next request, together with that request's answer
 * (a pipelining runtime does not wait for it, and is woken once for both).
 */
export type Delivery = 'now' | 'close' | 'with-next';

export interface RuntimeReply {
  /** Answered, or the connection is gone. */
  readonly settled: boolean;
  /** Writes the answer (its Content-Length is added). Later calls are ignored. */
  send(
    status: number,
    headers: Readonly<Record<string, string>>,
    body: Buffer,
    delivery?: Delivery,
  ): void;
  /** Called once if the connection goes before an answer was sent. */
  onGone(listener: () => void): void;
}
