/**
 * @module
 * The floor of the Runtime API hop: a container on the functions network long-polls a plain
 * `node:http` server on the network's gateway with Node's stock keep-alive client, the way a
 * runtime does (GET an event, POST an answer). The figure is the time from answering the GET
 * to receiving the POST: one event into the container and its answer back, nothing else.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Docker from 'dockerode';
import { subnetGateway, type IpamConfig } from '@lambdock/worker/subnet-gateway';
import { elapsedMs, summarize, warmedUp, type Summary, type Warmup } from './stats.js';

/** Runs inside the container: the smallest runtime loop on Node's own http client. */
const CLIENT = `
const http = require('node:http');
const agent = new http.Agent({ keepAlive: true });
const call = (method, path, body) => new Promise((resolve, reject) => {
  const headers = body === undefined ? {} : { 'content-length': Buffer.byteLength(body) };
  const req = http.request({ host: process.env.HOST, port: Number(process.env.PORT), method, path, headers, agent }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
  req.on('error', reject);
  req.end(body);
});
(async () => {
  for (;;) {
    JSON.parse(await call('GET', '/2018-06-01/runtime/invocation/next'));
    await call('POST', '/2018-06-01/runtime/invocation/id/response', 'null');
  }
})().catch(() => process.exit(1));
`;

async function gatewayOf(docker: Docker, network: string): Promise<string> {
  const info = (await docker.getNetwork(network).inspect()) as { IPAM?: { Config?: IpamConfig[] } };
  const gateway = subnetGateway(info.IPAM?.Config);
  if (gateway === undefined) throw new Error(`network ${network} has no gateway address`);
  return gateway;
}

export async function runtimeApiHopFloor(
  docker: Docker,
  image: string,
  network: string,
  samples: number,
  warmup: Warmup,
): Promise<Summary> {
  const host = await gatewayOf(docker, network);
  const results: number[] = [];
  let sentAt = process.hrtime.bigint();
  let answers = 0;
  let startedAt: number | undefined;
  let warm = false;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const server = createServer((req, res) => {
    req.resume();
    if (req.method === 'GET') {
      if (results.length >= samples) return; // parked for good: the run is over
      sentAt = process.hrtime.bigint();
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '2' });
      res.end('{}');
      return;
    }
    req.on('end', () => {
      startedAt ??= Date.now();
      warm ||= warmedUp(warmup, answers++, startedAt);
      if (warm) results.push(elapsedMs(sentAt));
      res.writeHead(202, { 'Content-Length': '0' });
      res.end();
      if (results.length === samples) done();
    });
  });
  server.listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['node', '-e', CLIENT],
    Env: [`HOST=${host}`, `PORT=${port}`],
    HostConfig: { NetworkMode: network, AutoRemove: false },
    Labels: { 'lambdock.bench': 'floor' },
  });
  try {
    await container.start();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, warmup.ms + 60_000).unref());
    await Promise.race([finished, timeout]);
  } finally {
    await container.remove({ force: true });
    server.closeAllConnections();
    server.close();
  }
  return summarize(results);
}
