import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, lazyChild, type Logger } from '../src/logger.js';

function collecting(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger({ service: 'test', level: 'info', destination });
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines };
}

describe('lazyChild', () => {
  it('makes the child only when something is logged, and once', () => {
    const { logger } = collecting();
    let children = 0;
    const counting: Logger = {
      ...logger,
      child: (bindings) => {
        children++;
        return logger.child(bindings);
      },
    };
    const lazy = lazyChild(counting, { requestId: 'r1' });
    assert.equal(children, 0);
    lazy.debug('below the level');
    lazy.info('one');
    lazy.warn({ a: 1 }, 'two');
    assert.equal(children, 1);
  });

  it('writes the bindings, the object and the message as the child would', () => {
    const { logger, lines } = collecting();
    const lazy = lazyChild(logger, { requestId: 'r1' });
    lazy.info('plain');
    lazy.warn({ attempt: 2 }, 'with fields');
    lazy.child({ component: 'inner' }).error({ code: 7 });
    const [plain, fields, inner] = lines();
    assert.equal(lines().length, 3);
    assert.deepEqual(
      [plain?.requestId, plain?.msg, plain?.level, plain?.service],
      ['r1', 'plain', 30, 'test'],
    );
    assert.deepEqual([fields?.requestId, fields?.attempt, fields?.msg], ['r1', 2, 'with fields']);
    assert.deepEqual(
      [inner?.requestId, inner?.component, inner?.code, inner?.msg],
      ['r1', 'inner', 7, undefined],
    );
  });
});
