import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { subnetGateway } from '../src/containers/subnet-gateway.js';

describe('subnetGateway', () => {
  const table: {
    configs: { Gateway?: string; Subnet?: string }[] | undefined;
    want: string | undefined;
  }[] = [
    { configs: [{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.1' }], want: '172.18.0.1' },
    { configs: [{ Subnet: '10.213.0.0/24' }], want: '10.213.0.1' },
    { configs: [{ Subnet: '10.213.77.128/25' }], want: '10.213.77.129' },
    { configs: [{ Subnet: 'fd00::/64' }, { Subnet: '192.168.5.0/24' }], want: '192.168.5.1' },
    { configs: [{ Subnet: 'nonsense' }], want: undefined },
    { configs: [], want: undefined },
    { configs: undefined, want: undefined },
  ];
  for (const { configs, want } of table) {
    it(`finds ${String(want)} in ${JSON.stringify(configs)}`, () => {
      assert.equal(subnetGateway(configs), want);
    });
  }
});
