/**
 * @module
 * Tags: TagResource (`POST /2017-03-31/tags/{ARN}`, 204, merges), UntagResource (`DELETE`,
 * `?tagKeys=`, 204) and ListTags (`GET`, `{Tags}`), on a function's unqualified ARN, with AWS's
 * checks in AWS's order: the ARN's shape, then versions and aliases refused, then the resource.
 * Tags live in the function's record (CreateFunction's `Tags`, GetFunction's `Tags`); changing
 * them leaves its RevisionId alone, as AWS's does. lambdock has no event source mappings or
 * capacity providers: their ARNs are well-formed and never found.
 */
import { Router, type Request } from 'express';
import {
  AppError,
  CONSTRAINTS,
  ERRORS,
  constraintMessage,
  parseFunctionName,
  validationError,
  type ArnContext,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { Problems, isObject, readStringMap } from '../functions/field-readers.js';
import { TAGS_MAX } from '../functions/function-settings.js';
import { functionNotFound, withArnNotFound } from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';

const TAGS_PATH = '/2017-03-31/tags/:arn';
const RESOURCE_KINDS = String.raw`(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)`;
const AWS_REGION = String.raw`(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}`;
/** The pattern AWS names in its message. */
const RESOURCE_PATTERN = String.raw`arn:(aws[a-zA-Z-]*):lambda:${AWS_REGION}:\d{12}:${RESOURCE_KINDS}`;

/** AWS's pattern, with lambdock's own region accepted too (it may be named otherwise). */
function resourceRe(region: string): RegExp {
  const own = region.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    String.raw`^arn:(aws[a-zA-Z-]*):lambda:(${AWS_REGION}|${own}):\d{12}:${RESOURCE_KINDS}$`,
  );
}

const NOT_FOUND_BY_KIND: Readonly<Record<string, string>> = {
  'event-source-mapping': 'Event source mapping not found',
  'capacity-provider': 'Capacity provider not found',
  layer: 'Layer not found',
  'code-signing-config': 'Code signing config not found',
};

const aliasOrVersion = (): AppError =>
  new AppError(
    ERRORS.INVALID_PARAMETER,
    'Tags on function aliases and versions are not supported. Please specify a function ARN.',
  );

/** The function a tags request names (its ARN's checks passed), or AWS's refusal. */
function taggedFunction(req: Request, ctx: ArnContext, re: RegExp): string {
  const arn = typeof req.params.arn === 'string' ? req.params.arn : '';
  if (!re.test(arn)) {
    throw validationError([
      constraintMessage('resource', arn, CONSTRAINTS.pattern(RESOURCE_PATTERN)),
    ]);
  }
  const kind = arn.split(':')[5] ?? '';
  if (kind !== 'function') {
    throw new AppError(
      ERRORS.RESOURCE_NOT_FOUND,
      `${NOT_FOUND_BY_KIND[kind] ?? 'Resource not found'}: ${arn}`,
    );
  }
  const parsed = parseFunctionName(arn, { ...ctx, rule: 'manage' });
  if (parsed.qualifier !== undefined) throw aliasOrVersion();
  return parsed.name;
}

function readTags(body: unknown): Record<string, string> {
  const value = isObject(body) ? body.Tags : undefined;
  if (value === undefined || value === null) {
    throw validationError([constraintMessage('tags', null, CONSTRAINTS.notNull)]);
  }
  const problems = new Problems();
  const tags = readStringMap(problems, 'tags', value);
  if (tags === undefined) throw validationError(problems.messages);
  if (Object.keys(tags).length === 0) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      'An error occurred and the request cannot be processed.',
    );
  }
  return tags;
}

/** `tagKeys`, given once or repeated. */
function readTagKeys(req: Request): string[] {
  const value: unknown = req.query.tagKeys;
  const keys = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  const strings = keys.filter((k): k is string => typeof k === 'string');
  if (strings.length === 0) {
    throw validationError([constraintMessage('tagKeys', null, CONSTRAINTS.notNull)]);
  }
  return strings;
}

export function createTagsRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;
  const re = resourceRe(ctx.region);

  router.post(
    TAGS_PATH,
    operation('TagResource'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const name = taggedFunction(req, ctx, re);
      const tags = readTags(req.body);
      await deps.registry
        .update(name, (current) => {
          const merged = { ...current.tags, ...tags };
          if (Object.keys(merged).length > TAGS_MAX) {
            throw new AppError(
              ERRORS.INVALID_PARAMETER,
              'Number of tags exceeds resource tag limit.',
            );
          }
          return { ...current, tags: merged };
        })
        .catch(withArnNotFound(ctx, name));
      res.status(204).end();
    },
  );

  router.delete(TAGS_PATH, operation('UntagResource'), async (req, res) => {
    const name = taggedFunction(req, ctx, re);
    const keys = readTagKeys(req);
    await deps.registry
      .update(name, (current) => {
        const kept = { ...current.tags };
        for (const key of keys) delete kept[key];
        return { ...current, tags: kept };
      })
      .catch(withArnNotFound(ctx, name));
    res.status(204).end();
  });

  router.get(TAGS_PATH, operation('ListTags'), async (req, res) => {
    const name = taggedFunction(req, ctx, re);
    const record = await deps.registry.get(name);
    if (record === undefined) throw functionNotFound(ctx, name);
    res.json({ Tags: { ...record.tags } });
  });

  return router;
}
