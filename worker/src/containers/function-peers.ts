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
import { ipv4Number, parseCidr, type Ipv4Subnet } from './subnet-gateway.js';

const plain = (address: string): string => address.replace(/^::ffff:/, '');

function contains(subnet: Ipv4Subnet, address: string): boolean {
  const ip = ipv4Number(plain(address));
  return ip !== undefined && (ip & subnet.mask) >>> 0 === subnet.network;
}

/** Whether IPv4 `address` (also as `::ffff:a.b.c.d`) lies in `cidr`. */
export function inSubnet(address: string, cidr: string): boolean {
  const subnet = parseCidr(cidr);
  return subnet !== undefined && contains(subnet, address);
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
  const subnets = network.subnets.flatMap((cidr) => parseCidr(cidr) ?? []);
  if (subnets.length === 0) return false;
  server.on('connection', (socket) => {
    const remote = plain(socket.remoteAddress ?? '');
    if (remote === network.gateway) return;
    if (!subnets.some((subnet) => contains(subnet, remote))) return;
    refused(remote);
    socket.destroy();
  });
  return true;
}
