/**
 * @module
 * Function code as uploaded: a base64 zip (size limits, must parse as a zip, content address =
 * SHA-256) or a container image reference.
 *
 * CodeSha256: for a zip it is the base64 SHA-256 of the zip bytes, as AWS reports it. For an
 * image AWS reports the image digest in hex (`ResolvedImageUri` = `<repo>@sha256:<CodeSha256>`).
 * The gateway never talks to Docker or a registry, so it uses the digest when the reference is
 * pinned (`repo@sha256:<hex>`) and otherwise the hex SHA-256 of the reference text: same format,
 * stable for the same reference, changes when the reference changes.
 */
import { createHash } from 'node:crypto';
import { fromBufferPromise, type ZipFile } from 'yauzl';
import { AppError, ERRORS, isAppError } from '@lambdock/core';
import { isStrictBase64 } from './base64.js';

/** AWS's limits for a direct upload. */
export const ZIPPED_LIMIT_BYTES = 52_428_800;
export const UNZIPPED_LIMIT_BYTES = 262_144_000;
const IMAGE_URI_MAX_LENGTH = 512;

/** A docker reference in its plain form: registry/repo:tag or repo@sha256:digest. */
const IMAGE_URI = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@]*$/;
const PINNED_DIGEST = /@sha256:([0-9a-f]{64})$/;

export interface ZipPackage {
  bytes: Buffer;
  /** Base64 SHA-256, as AWS reports it. */
  codeSha256: string;
  /** Hex SHA-256: the content address the code is stored under. */
  codeKey: string;
  codeSize: number;
  /** The bytes its files unzip to (their declared sizes). */
  unzippedSize: number;
}

export interface ImagePackage {
  imageUri: string;
  /** Hex digest, as AWS reports it for images. */
  codeSha256: string;
}

function unzipFailed(cause?: unknown): AppError {
  return new AppError(
    ERRORS.INVALID_PARAMETER,
    'Could not unzip uploaded file. Please check your file, then try to upload again.',
    { cause },
  );
}

async function walkEntries(zip: ZipFile): Promise<number> {
  let unzipped = 0;
  for await (const entry of zip.eachEntry()) {
    unzipped += entry.uncompressedSize;
    // "Smaller than": a package of exactly the limit is refused, as AWS's is.
    if (unzipped >= UNZIPPED_LIMIT_BYTES) {
      throw new AppError(
        ERRORS.INVALID_PARAMETER,
        `Unzipped size must be smaller than ${UNZIPPED_LIMIT_BYTES} bytes`,
      );
    }
  }
  return unzipped;
}

/**
 * Parse the central directory: a zip the worker could not open is refused at upload. Answers
 * the size its files unzip to.
 */
async function checkZip(bytes: Buffer): Promise<number> {
  let zip: ZipFile;
  try {
    zip = await fromBufferPromise(bytes, { lazyEntries: true, validateEntrySizes: true });
  } catch (err) {
    throw unzipFailed(err);
  }
  try {
    return await walkEntries(zip);
  } catch (err) {
    throw isAppError(err) ? err : unzipFailed(err);
  } finally {
    zip.close();
  }
}

export async function readZipPackage(zipFileBase64: string): Promise<ZipPackage> {
  if (!isStrictBase64(zipFileBase64)) throw unzipFailed();
  const bytes = Buffer.from(zipFileBase64, 'base64');
  if (bytes.length > ZIPPED_LIMIT_BYTES) {
    throw new AppError(
      ERRORS.REQUEST_TOO_LARGE,
      `Zipped size must be smaller than ${ZIPPED_LIMIT_BYTES} bytes`,
    );
  }
  const unzippedSize = await checkZip(bytes);
  const digest = createHash('sha256').update(bytes).digest();
  return {
    bytes,
    codeSha256: digest.toString('base64'),
    codeKey: digest.toString('hex'),
    codeSize: bytes.length,
    unzippedSize,
  };
}

export function readImagePackage(imageUri: string): ImagePackage {
  if (imageUri.length > IMAGE_URI_MAX_LENGTH || !IMAGE_URI.test(imageUri)) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      `Source image ${imageUri} is not valid. Provide an image reference such as repo/name:tag or repo/name@sha256:<digest>.`,
    );
  }
  const pinned = PINNED_DIGEST.exec(imageUri)?.[1];
  const codeSha256 = pinned ?? createHash('sha256').update(imageUri).digest('hex');
  return { imageUri, codeSha256 };
}

/** `<repo>@sha256:<digest>`: the reference without its tag, pinned to the digest. */
export function resolvedImageUri(imageUri: string, codeSha256: string): string {
  const withoutDigest = imageUri.split('@')[0] ?? imageUri;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const tagColon = withoutDigest.indexOf(':', lastSlash + 1);
  const repo = tagColon === -1 ? withoutDigest : withoutDigest.slice(0, tagColon);
  return `${repo}@sha256:${codeSha256}`;
}
