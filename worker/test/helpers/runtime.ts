/**
 * @module
 * A scriptable fake runtime: the "process" inside a fake container, speaking the Runtime API
 * over real HTTP like a runtime client does.
 */
import { API, call } from './http.js';
import type { FakeContainer } from './fakes.js';

export type Handler = (
  event: string,
  requestId: string,
  container: FakeContainer,
) => Promise<HandlerAnswer> | HandlerAnswer;

export type HandlerAnswer =
  | { response: string }
  | { error: string }
  | { hang: true }
  | { exit: number }
  | { exitAfterError: { body: string; code: number } };

/** Loop: /next, run the handler, post the answer; stop on hang/exit or a closed listener. */
export function runtimeLoop(handler: Handler): (container: FakeContainer) => Promise<void> {
  return async (container) => {
    const port = Number(container.runtimeApi.split(':')[1]);
    for (;;) {
      const next = await call(port, 'GET', `${API}/invocation/next`).catch(() => undefined);
      if (!next || next.status !== 200) return;
      const id = String(next.headers['lambda-runtime-aws-request-id']);
      const answer = await handler(next.text, id, container);
      if ('hang' in answer) return;
      if ('exit' in answer) return container.exit(answer.exit);
      if ('exitAfterError' in answer) {
        await call(port, 'POST', `${API}/invocation/${id}/error`, {
          body: answer.exitAfterError.body,
        }).catch(() => undefined);
        setTimeout(() => container.exit(answer.exitAfterError.code), 5);
        return;
      }
      const path = 'response' in answer ? 'response' : 'error';
      // A retired environment closes its listener before the 202 (sent after the reply) is
      // out: the runtime stops there, as a real one would.
      const posted = await call(port, 'POST', `${API}/invocation/${id}/${path}`, {
        body: 'response' in answer ? answer.response : answer.error,
      }).catch(() => undefined);
      if (!posted) return;
    }
  };
}

/** A runtime whose init fails: /init/error, then exit. */
export function failingInit(body: string, code = 129): (container: FakeContainer) => Promise<void> {
  return async (container) => {
    const port = Number(container.runtimeApi.split(':')[1]);
    await call(port, 'POST', `${API}/init/error`, {
      body,
      headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.HandlerNotFound' },
    });
    container.exit(code);
  };
}
