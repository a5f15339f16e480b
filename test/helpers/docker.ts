/**
 * @module
 * Require a working Docker engine and the images a suite needs. Never skips: a missing
 * engine or image fails with the command that fixes it.
 */
import Docker from 'dockerode';

export const RUNTIME_IMAGES = {
  node: 'lambdock/runtime:nodejs20.x',
  python: 'lambdock/runtime:python3.11',
  provided: 'lambdock/runtime:provided',
  ric: 'lambdock/fixture:node-ric',
} as const;

export async function requireDocker(): Promise<Docker> {
  const docker = new Docker({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
  try {
    await docker.ping();
  } catch (err) {
    throw new Error(
      `A Docker engine is required and did not answer (${String(err)}).\n` +
        'Fix: apt-get install -y docker.io && (dockerd >/var/log/dockerd.log 2>&1 &)',
    );
  }
  return docker;
}

export async function requireImages(docker: Docker, images: readonly string[]): Promise<void> {
  const missing: string[] = [];
  for (const image of images) {
    try {
      await docker.getImage(image).inspect();
    } catch {
      missing.push(image);
    }
  }
  if (missing.length > 0) {
    throw new Error(
      `Missing images: ${missing.join(', ')}.\n` +
        'Fix: bash runtime-images/build.sh --offline && bash test/fixtures/images/node-ric/build.sh --offline',
    );
  }
}

/** Containers the worker started for one function, running or not. */
export async function functionContainers(
  docker: Docker,
  name: string,
): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({
    all: true,
    filters: { label: [`lambdock.managed=true`, `lambdock.function=${name}`] },
  });
}
