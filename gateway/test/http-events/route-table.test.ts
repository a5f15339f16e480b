import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRouteKey } from '../../src/http-events/route-key.js';
import {
  compileRouteTable,
  matchRoute,
  type RouteTable,
} from '../../src/http-events/route-table.js';

function table(routeKeys: string[]): RouteTable<string> {
  const result = compileRouteTable(routeKeys.map((routeKey) => ({ routeKey, target: routeKey })));
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.table;
}

describe('parseRouteKey', () => {
  it('parses a method, a template path and its segments', () => {
    assert.deepEqual(parseRouteKey('GET /items/{id}'), {
      ok: true,
      routeKey: 'GET /items/{id}',
      isDefault: false,
      method: 'GET',
      path: '/items/{id}',
      segments: [
        { kind: 'literal', text: 'items' },
        { kind: 'param', name: 'id' },
      ],
    });
  });

  it('parses ANY with a greedy parameter, the root path and $default', () => {
    assert.deepEqual(parseRouteKey('ANY /{proxy+}'), {
      ok: true,
      routeKey: 'ANY /{proxy+}',
      isDefault: false,
      method: 'ANY',
      path: '/{proxy+}',
      segments: [{ kind: 'greedy', name: 'proxy' }],
    });
    assert.deepEqual(parseRouteKey('POST /'), {
      ok: true,
      routeKey: 'POST /',
      isDefault: false,
      method: 'POST',
      path: '/',
      segments: [],
    });
    assert.deepEqual(parseRouteKey('$default'), {
      ok: true,
      routeKey: '$default',
      isDefault: true,
      method: 'ANY',
      path: '$default',
      segments: [],
    });
  });

  it('normalises the method case in the route key', () => {
    const parsed = parseRouteKey('delete /a');
    assert.equal(parsed.ok && parsed.routeKey, 'DELETE /a');
  });

  const rejected: Array<[string, string]> = [
    [
      'FETCH /a',
      'unknown method "FETCH" in route key "FETCH /a": use one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
    ],
    ['GET items', 'path "items" must start with "/"'],
    ['GET', 'route key "GET" must be "METHOD /path" or "$default"'],
    ['GET /a /b', 'route key "GET /a /b" must be "METHOD /path" or "$default"'],
    [
      'GET /{proxy+}/edit',
      'greedy parameter "{proxy+}" must be the last segment of "/{proxy+}/edit"',
    ],
    ['GET /{id}/x/{id}', 'duplicate path parameter "id" in "/{id}/x/{id}"'],
    ['GET /a/{}', "invalid path parameter name in \"{}\": use letters, digits, '.', '_' or '-'"],
    ['GET /a/{+}', "invalid path parameter name in \"{+}\": use letters, digits, '.', '_' or '-'"],
    ['GET /a/{b c}', 'route key "GET /a/{b c}" must be "METHOD /path" or "$default"'],
    [
      'GET /a/{b$}',
      "invalid path parameter name in \"{b$}\": use letters, digits, '.', '_' or '-'",
    ],
    ['GET /a//b', 'path "/a//b" has an empty segment ("//")'],
    ['GET /a/', 'path "/a/" must not end with "/" (only the root path may)'],
    [
      'GET /items/{id}.json',
      'path parameter "{id}.json" must fill its whole segment, e.g. "/{id}"',
    ],
    ['GET /a?b', 'path segment "a?b" contains characters not allowed in a URL path'],
    ['$DEFAULT', 'route key "$DEFAULT" must be "METHOD /path" or "$default"'],
  ];
  for (const [key, message] of rejected) {
    it(`rejects ${JSON.stringify(key)}`, () => {
      assert.deepEqual(parseRouteKey(key), { ok: false, message });
    });
  }
});

describe('compileRouteTable', () => {
  it('collects every problem: bad keys, duplicates and same-shape conflicts', () => {
    const result = compileRouteTable(
      [
        'GET /a/{id}',
        'GET /a/{name}',
        'BREW /x',
        'ANY /a/{id}',
        '$default',
        '$default',
        'GET /a/{id}',
      ].map((routeKey) => ({ routeKey, target: 1 })),
    );
    assert.deepEqual(result, {
      ok: false,
      problems: [
        'route "GET /a/{name}" conflicts with "GET /a/{id}"',
        'unknown method "BREW" in route key "BREW /x": use one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
        'route "$default" conflicts with "$default"',
        'route "GET /a/{id}" conflicts with "GET /a/{id}"',
      ],
    });
  });

  it('accepts the same path under different methods', () => {
    assert.equal(
      compileRouteTable([
        { routeKey: 'GET /a', target: 1 },
        { routeKey: 'ANY /a', target: 2 },
      ]).ok,
      true,
    );
  });
});

describe('matchRoute precedence (HTTP API docs example)', () => {
  const routes = table([
    'GET /pets/dog/1',
    'GET /pets/dog/{id}',
    'GET /pets/{proxy+}',
    'ANY /{proxy+}',
    '$default',
  ]);
  const cases: Array<[string, string, string, Record<string, string> | null]> = [
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', null],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['POST', '/pets/dog/1', 'ANY /{proxy+}', { proxy: 'pets/dog/1' }],
    ['GET', '/pets', 'ANY /{proxy+}', { proxy: 'pets' }],
    ['GET', '/', '$default', null],
  ];
  for (const [method, path, routeKey, pathParameters] of cases) {
    it(`${method} ${path} → ${routeKey}`, () => {
      const match = matchRoute(routes, method, path);
      assert.deepEqual(match, {
        target: routeKey,
        routeKey,
        resource: routeKey === '$default' ? '$default' : routeKey.split(' ')[1],
        pathParameters,
      });
    });
  }
});

describe('matchRoute', () => {
  it('compares segments left to right: an earlier literal beats a later one', () => {
    const routes = table(['GET /{a}/b/c', 'GET /x/{b}/{c}', 'GET /x/{proxy+}']);
    assert.equal(matchRoute(routes, 'GET', '/x/b/c')?.routeKey, 'GET /x/{b}/{c}');
    assert.equal(matchRoute(routes, 'GET', '/y/b/c')?.routeKey, 'GET /{a}/b/c');
    assert.equal(matchRoute(routes, 'GET', '/x/b/c/d')?.routeKey, 'GET /x/{proxy+}');
  });

  it('prefers a literal segment over a greedy one that starts at the same place', () => {
    const routes = table(['GET /a/{proxy+}', 'GET /a/b/{id}']);
    assert.equal(matchRoute(routes, 'GET', '/a/b/1')?.routeKey, 'GET /a/b/{id}');
    assert.equal(matchRoute(routes, 'GET', '/a/b/1/2')?.routeKey, 'GET /a/{proxy+}');
  });

  it('prefers the method-specific route over ANY for the same template, in any order', () => {
    for (const keys of [
      ['ANY /a/{id}', 'GET /a/{id}'],
      ['GET /a/{id}', 'ANY /a/{id}'],
    ]) {
      const routes = table(keys);
      assert.equal(matchRoute(routes, 'GET', '/a/1')?.routeKey, 'GET /a/{id}');
      assert.equal(matchRoute(routes, 'PUT', '/a/1')?.routeKey, 'ANY /a/{id}');
    }
  });

  it('prefers a more specific ANY template over a method-specific greedy one', () => {
    const routes = table(['GET /{proxy+}', 'ANY /items']);
    assert.equal(matchRoute(routes, 'GET', '/items')?.routeKey, 'ANY /items');
  });

  it('does not match other methods, HEAD included, without ANY or $default', () => {
    const routes = table(['GET /a']);
    assert.equal(matchRoute(routes, 'HEAD', '/a'), undefined);
    assert.equal(matchRoute(routes, 'POST', '/a'), undefined);
    assert.equal(matchRoute(routes, 'get', '/a')?.routeKey, 'GET /a');
  });

  it('matches paths case-sensitively', () => {
    const routes = table(['GET /Items']);
    assert.equal(matchRoute(routes, 'GET', '/items'), undefined);
    assert.equal(matchRoute(routes, 'GET', '/Items')?.routeKey, 'GET /Items');
  });

  it('requires non-empty parameters and matches the root only with the root route', () => {
    const routes = table(['GET /items/{id}', 'GET /']);
    assert.equal(matchRoute(routes, 'GET', '/items/'), undefined);
    assert.equal(matchRoute(routes, 'GET', '/items'), undefined);
    assert.equal(matchRoute(routes, 'GET', '/')?.routeKey, 'GET /');
    assert.equal(matchRoute(routes, 'GET', '')?.routeKey, 'GET /');
  });

  it('needs at least one character for a greedy parameter and keeps trailing slashes in it', () => {
    const routes = table(['ANY /a/{proxy+}']);
    assert.equal(matchRoute(routes, 'GET', '/a'), undefined);
    assert.equal(matchRoute(routes, 'GET', '/a/'), undefined);
    assert.deepEqual(matchRoute(routes, 'GET', '/a/b/')?.pathParameters, { proxy: 'b/' });
  });

  it('percent-decodes parameters, keeps malformed escapes, never splits on %2F', () => {
    const routes = table(['GET /files/{name}', 'GET /deep/{proxy+}']);
    assert.deepEqual(matchRoute(routes, 'GET', '/files/a%2Fb%20c')?.pathParameters, {
      name: 'a/b c',
    });
    assert.deepEqual(matchRoute(routes, 'GET', '/files/caf%C3%A9')?.pathParameters, {
      name: 'café',
    });
    assert.deepEqual(matchRoute(routes, 'GET', '/files/100%25%zz%E2%82')?.pathParameters, {
      name: '100%%zz%E2%82',
    });
    assert.deepEqual(matchRoute(routes, 'GET', '/deep/x%20y/z')?.pathParameters, {
      proxy: 'x y/z',
    });
  });

  it('matches a literal against the raw or the decoded segment', () => {
    const routes = table(['GET /caf%C3%A9', 'GET /hello-world']);
    assert.equal(matchRoute(routes, 'GET', '/caf%C3%A9')?.routeKey, 'GET /caf%C3%A9');
    assert.equal(matchRoute(routes, 'GET', '/hello%2Dworld')?.routeKey, 'GET /hello-world');
    assert.equal(matchRoute(routes, 'GET', '/hello%2Fworld'), undefined);
  });

  it('keeps a parameter named __proto__ as an ordinary key', () => {
    const routes = table(['GET /{__proto__}']);
    const params = matchRoute(routes, 'GET', '/x')?.pathParameters;
    assert.equal(Object.getPrototypeOf(params), Object.prototype);
    assert.deepEqual(Object.entries(params ?? {}), [['__proto__', 'x']]);
  });

  it('returns undefined without $default when nothing matches', () => {
    assert.equal(matchRoute(table(['GET /a']), 'GET', '/b'), undefined);
  });
});
