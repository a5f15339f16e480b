/**
 * A test gateway for the version tests: the Active function `demo` at a fixed clock, with
 * numbered ids, and the steps those tests take on it (publish, change, settle).
 */
import request from 'supertest';
import { activeRecord, createTestGateway, seed, type TestGateway } from './test-app.js';

export const BASE = '/2015-03-31/functions';
export const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

export async function versionGateway(): Promise<TestGateway> {
  let n = 0;
  const gw = createTestGateway({}, { now: () => NOW, newId: () => `id-${++n}` });
  await seed(gw, activeRecord('demo', { description: 'latest description' }));
  return gw;
}

export const publish = (gw: TestGateway, body: Record<string, unknown> = {}) =>
  request(gw.app).post(`${BASE}/demo/versions`).send(body);

/** What a worker's prepare job does after an update: the update settles. */
export async function settle(gw: TestGateway): Promise<void> {
  await gw.registry.update('demo', (r) => ({ ...r, lastUpdateStatus: 'Successful' }));
}

export async function changeEnvironment(gw: TestGateway, value: string): Promise<void> {
  await request(gw.app)
    .put(`${BASE}/demo/configuration`)
    .send({ Environment: { Variables: { LABEL: value } } })
    .expect(200);
  await settle(gw);
}
