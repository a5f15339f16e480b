/**
 * @module
 * The gateway address of a Docker network. Docker records it in the network's IPAM config
 * only when it chose the subnet itself; a network created with an explicit subnet (as
 * compose does) leaves it out, and Docker then uses the subnet's first host address.
 */

export interface IpamConfig {
  Gateway?: string;
  Subnet?: string;
}

function firstHostAddress(cidr: string): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 30) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const first = ((base & mask) >>> 0) + 1;
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
