/**
 * @module
 * The worker's own listener (health, readiness, metrics) is not for functions. On a host the
 * functions network's bridge reaches every host address (docker-driver.ts), and under compose
 * the worker sits on the functions network itself, so a function could read the worker's
 * metrics (every function's name and counts). Connections from the functions network's subnets
 * are closed as they arrive, except from the bridge's own address: that is the host (a container
 * cannot send from it), reaching the worker directly. Prometheus and health checks come from
 * anywhere else.
 */
import type { Server } from 'node:net';

function ipv4(address: string): number | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

/** Whether IPv4 `address` (also as `::ffff:a.b.c.d`) lies in `cidr`. */
export function inSubnet(address: string, cidr: string): boolean {
  const [base = '', bits = ''] = cidr.split('/');
  const ip = ipv4(address.replace(/^::ffff:/, ''));
  const net = ipv4(base);
  const prefix = Number(bits);
  if (ip === undefined || net === undefined || !Number.isInteger(prefix)) return false;
  if (prefix < 0 || prefix > 32) return false;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return (ip & mask) >>> 0 === (net & mask) >>> 0;
}

export interface FunctionsNetwork {
  /** IPv4 CIDRs function containers send from. */
  readonly subnets: readonly string[];
  /** The bridge's address on the host side: the host, never a function. */
  readonly gateway: string | undefined;
}

/**
 * Close every connection to `server` from the functions network; `refused` hears of each.
 * Returns false when the network names no IPv4 subnet, so nothing can be refused.
 */
export function refuseFunctionPeers(
  server: Server,
  network: FunctionsNetwork,
  refused: (remote: string) => void,
): boolean {
  if (network.subnets.length === 0) return false;
  server.on('connection', (socket) => {
    const remote = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    if (remote === network.gateway) return;
    if (!network.subnets.some((cidr) => inSubnet(remote, cidr))) return;
    refused(remote);
    socket.destroy();
  });
  return true;
}
