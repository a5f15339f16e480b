/**
 * @module
 * Tag a matched route with its AWS operation name: metrics label requests with it (a fixed,
 * small set, unlike raw paths) and error messages that name the operation read it.
 */
import type { RequestHandler } from 'express';
import { contextOf } from './request-context.js';

export function operation(name: string): RequestHandler {
  return (_req, res, next) => {
    contextOf(res).operation = name;
    next();
  };
}
