/**
 * @module
 * JSON bodies of management operations. Any content type is read as JSON (clients send
 * `application/json`, some send nothing); over the operation's limit is 413 with AWS's message,
 * rendered by the error handler.
 */
import express, { type RequestHandler } from 'express';

/** AWS's limit for a whole CreateFunction/UpdateFunctionCode request (a 50 MB zip in base64). */
export const CODE_REQUEST_LIMIT_BYTES = 70_167_211;
/** Other management requests carry a few kilobytes of settings. */
export const SETTINGS_REQUEST_LIMIT_BYTES = 1024 * 1024;

export function jsonBody(limitBytes: number): RequestHandler {
  return express.json({ limit: limitBytes, type: () => true, strict: true });
}
