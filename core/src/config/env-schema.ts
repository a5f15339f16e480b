/**
 * @module
 * A tiny declarative reader for environment variables. Each service declares its variables
 * once (name, default, meaning, parser); `loadEnv` collects every problem before failing and
 * returns a deep-frozen object. The same declarations feed the docs cross-check test.
 */
import { ConfigError } from '../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvVar<T> {
  readonly name: string;
  readonly description: string;
  /** Shown in docs; `undefined` means required or optional-without-default. */
  readonly defaultText: string | undefined;
  readonly read: (raw: string | undefined) => T;
}

class ParseProblem extends Error {}

function fail(message: string): never {
  throw new ParseProblem(message);
}

export interface IntOptions {
  default?: number;
  min?: number;
  max?: number;
}

export function intVar(
  name: string,
  description: string,
  options: IntOptions = {},
): EnvVar<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  // A default outside its own range is a programming error: fail at declaration, not in prod.
  if (options.default !== undefined && (options.default < min || options.default > max)) {
    throw new RangeError(`${name}: default ${options.default} is outside ${min}..${max}`);
  }
  return {
    name,
    description,
    defaultText: options.default === undefined ? undefined : String(options.default),
    read(raw) {
      if (raw === undefined || raw === '') {
        if (options.default === undefined) fail(`${name} is required (an integer)`);
        return options.default;
      }
      if (!/^-?\d+$/.test(raw.trim())) fail(`${name} must be an integer, got "${raw}"`);
      const value = Number(raw.trim());
      if (value < min || value > max)
        fail(`${name} must be between ${min} and ${max}, got ${value}`);
      return value;
    },
  };
}

export interface StringOptions {
  default?: string;
  pattern?: RegExp;
  hint?: string;
}

export function stringVar(
  name: string,
  description: string,
  options: StringOptions = {},
): EnvVar<string> {
  return {
    name,
    description,
    defaultText: options.default,
    read(raw) {
      const value = raw === undefined || raw === '' ? options.default : raw;
      if (value === undefined) fail(`${name} is required`);
      if (options.pattern && !options.pattern.test(value)) {
        fail(`${name} ${options.hint ?? `must match ${String(options.pattern)}`}, got "${value}"`);
      }
      return value;
    },
  };
}

export function optionalStringVar(name: string, description: string): EnvVar<string | undefined> {
  return {
    name,
    description,
    defaultText: undefined,
    read: (raw) => (raw === undefined || raw === '' ? undefined : raw),
  };
}

export function boolVar(name: string, description: string, defaultValue: boolean): EnvVar<boolean> {
  return {
    name,
    description,
    defaultText: String(defaultValue),
    read(raw) {
      if (raw === undefined || raw === '') return defaultValue;
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      return fail(`${name} must be true or false, got "${raw}"`);
    },
  };
}

export function enumVar<T extends string>(
  name: string,
  description: string,
  values: readonly T[],
  defaultValue: T,
): EnvVar<T> {
  return {
    name,
    description,
    defaultText: defaultValue,
    read(raw) {
      if (raw === undefined || raw === '') return defaultValue;
      if (!(values as readonly string[]).includes(raw)) {
        fail(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
      }
      return raw as T;
    },
  };
}

export function urlVar(
  name: string,
  description: string,
  defaultValue: string,
  protocols: readonly string[],
): EnvVar<string> {
  return {
    name,
    description,
    defaultText: defaultValue,
    read(raw) {
      const value = raw === undefined || raw === '' ? defaultValue : raw;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        return fail(`${name} must be a URL, got "${value}"`);
      }
      if (!protocols.includes(parsed.protocol)) {
        fail(`${name} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
      }
      return value;
    },
  };
}

export interface PairsOptions {
  /** What every name must look like. */
  namePattern: RegExp;
  /** Said of a name that does not. */
  hint: string;
}

/**
 * `name:value` pairs separated by commas or new lines (access keys, say); unset or empty is
 * none. Problems name the entry by its position, never its value, which may be a secret.
 */
export function pairsVar(
  name: string,
  description: string,
  options: PairsOptions,
): EnvVar<ReadonlyMap<string, string>> {
  return {
    name,
    description,
    defaultText: undefined,
    read(raw) {
      const pairs = new Map<string, string>();
      const entries = (raw ?? '')
        .split(/[,\n]/)
        .map((e) => e.trim())
        .filter((e) => e !== '');
      entries.forEach((entry, i) => {
        const colon = entry.indexOf(':');
        const key = colon < 0 ? '' : entry.slice(0, colon).trim();
        const value = colon < 0 ? '' : entry.slice(colon + 1).trim();
        if (key === '' || value === '') fail(`${name} entry ${i + 1} must be name:value`);
        if (!options.namePattern.test(key)) fail(`${name} entry ${i + 1}: ${options.hint}`);
        if (pairs.has(key)) fail(`${name} entry ${i + 1} repeats the name ${key}`);
        pairs.set(key, value);
      });
      return pairs;
    },
  };
}

export type EnvSchema = Readonly<Record<string, EnvVar<unknown>>>;
export type EnvValues<S extends EnvSchema> = {
  readonly [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never;
};

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Read every variable of `schema` from `env`; throw one ConfigError listing all problems. */
export function loadEnv<S extends EnvSchema>(schema: S, env: Env): EnvValues<S> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, variable] of Object.entries(schema)) {
    try {
      out[key] = variable.read(env[variable.name]);
    } catch (err) {
      if (err instanceof ParseProblem) problems.push(err.message);
      else throw err;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(out) as EnvValues<S>;
}

/** The variable names a schema reads, for the docs cross-check. */
export function envVarNames(schema: EnvSchema): string[] {
  return Object.values(schema).map((v) => v.name);
}
