import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { inSubnet, refuseFunctionPeers } from '../src/containers/function-peers.js';

/** A health endpoint that refuses `subnets`; what a GET from 127.0.0.1 gets. */
async function getFrom(
  subnets: string[],
  gateway?: string,
): Promise<{ answer: string; refused: string[] }> {
  const refused: string[] = [];
  const server = createServer((_req, res) => res.end('ok'));
  refuseFunctionPeers(server, { subnets, gateway }, (remote) => refused.push(remote));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    const answer = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (res) => res.text(),
      (err: unknown) => `failed: ${String(err)}`,
    );
    return { answer, refused };
  } finally {
    server.close();
  }
}

describe("the worker's own listener and the functions network", () => {
  it('closes connections from the functions subnets and serves the rest', async () => {
    assert.deepEqual(await getFrom(['10.213.0.0/24']), { answer: 'ok', refused: [] });
    const blocked = await getFrom(['10.213.0.0/24', '127.0.0.0/8']);
    assert.match(blocked.answer, /^failed/);
    assert.deepEqual(blocked.refused, ['127.0.0.1']);
  });

  it("serves the bridge's own address: the host, never a function", async () => {
    assert.deepEqual(await getFrom(['127.0.0.0/8'], '127.0.0.1'), { answer: 'ok', refused: [] });
  });

  it('matches IPv4 addresses, mapped ones included, against a CIDR', () => {
    assert.equal(inSubnet('10.213.0.7', '10.213.0.0/24'), true);
    assert.equal(inSubnet('::ffff:10.213.0.7', '10.213.0.0/24'), true);
    assert.equal(inSubnet('10.213.1.7', '10.213.0.0/24'), false);
    assert.equal(inSubnet('172.18.5.9', '172.16.0.0/12'), true);
    assert.equal(inSubnet('172.32.0.1', '172.16.0.0/12'), false);
    assert.equal(inSubnet('1.2.3.4', '0.0.0.0/0'), true);
    assert.equal(inSubnet('::1', '127.0.0.0/8'), false);
    assert.equal(inSubnet('10.0.0.1', 'nonsense'), false);
  });
});
