/**
 * @module
 * The gateway address of a Docker network. Docker records it in the network's IPAM config
 * only when it chose the subnet itself; a network created with an explicit subnet (as
 * compose does) leaves it out, and Docker then uses the subnet's first host address. Also the
 * IPv4 and CIDR parsing that, and the worker's refusal of function peers, stand on.
 */

export interface IpamConfig {
  Gateway?: string;
  Subnet?: string;
}

/** An IPv4 address as a number; undefined for anything else. */
export function ipv4Number(address: string): number | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  return octets.reduce((acc, o) => acc * 256 + o, 0);
}

export interface Ipv4Subnet {
  /** The subnet's own address, masked. */
  readonly network: number;
  readonly mask: number;
  readonly prefix: number;
}

/** An IPv4 CIDR (`a.b.c.d/n`); undefined for anything else. */
export function parseCidr(cidr: string): Ipv4Subnet | undefined {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  const base = match ? ipv4Number(match[1] ?? '') : undefined;
  const prefix = Number(match?.[2]);
  if (base === undefined || prefix > 32) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (base & mask) >>> 0, mask, prefix };
}

function firstHostAddress(cidr: string): string | undefined {
  const subnet = parseCidr(cidr);
  if (subnet === undefined || subnet.prefix > 30) return undefined;
  const first = subnet.network + 1;
  return [24, 16, 8, 0].map((shift) => (first >>> shift) & 255).join('.');
}

/** The IPv4 gateway of the first IPv4 IPAM entry, recorded or derived from its subnet. */
export function subnetGateway(configs: readonly IpamConfig[] | undefined): string | undefined {
  for (const config of configs ?? []) {
    if (config.Gateway && /^\d+\.\d+\.\d+\.\d+$/.test(config.Gateway)) return config.Gateway;
    const derived = config.Subnet ? firstHostAddress(config.Subnet) : undefined;
    if (derived) return derived;
  }
  return undefined;
}
