/**
 * @module
 * Which image a function runs, and whether it is here. Images are local only: a missing tag is
 * pulled only from the registry named in IMAGE_PULL_REGISTRY (none by default), because an
 * implicit `docker run` pull goes to Docker Hub, which air-gapped hosts cannot reach and a
 * platform should never do behind its users' backs.
 */
import type { FunctionRecord } from '@lambdock/core';
import type { ContainerDriver, ImageInfo } from './container-driver.js';

export interface ImageResolverOptions {
  driver: ContainerDriver;
  runtimeRepository: string;
  pullRegistry: string | undefined;
}

export interface ResolvedImage {
  readonly ref: string;
  readonly info: ImageInfo;
}

export interface ImageResolver {
  /** The image reference a function runs: its ImageUri, or the runtime image for zips. */
  refFor(record: FunctionRecord): string;
  /** Inspect (and, when allowed, pull) the image; undefined when it is not available. */
  find(ref: string): Promise<ImageInfo | undefined>;
}

/** `provided`, `provided.al2` and `provided.al2023` all run the one `provided` image. */
export function runtimeTag(runtime: string): string {
  return runtime.startsWith('provided') ? 'provided' : runtime;
}

export function registryOf(ref: string): string | undefined {
  const first = ref.split('/', 1)[0] ?? '';
  // Docker's rule: the first component names a registry when it has a dot or port, or is localhost.
  return ref.includes('/') && (/[.:]/.test(first) || first === 'localhost') ? first : undefined;
}

export function createImageResolver(options: ImageResolverOptions): ImageResolver {
  return {
    refFor(record) {
      if (record.packageType === 'Image') return record.imageUri ?? '';
      return `${options.runtimeRepository}:${runtimeTag(record.runtime ?? '')}`;
    },
    async find(ref) {
      if (ref === '') return undefined;
      const local = await options.driver.inspectImage(ref);
      if (local || options.pullRegistry === undefined) return local;
      if (registryOf(ref) !== options.pullRegistry) return undefined;
      await options.driver.pullImage(ref);
      return options.driver.inspectImage(ref);
    },
  };
}
