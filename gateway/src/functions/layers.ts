/**
 * @module
 * The `Layers` member of CreateFunction and UpdateFunctionConfiguration: each layer version ARN
 * checked like AWS's (the model's pattern, as one ValidationException; then the count, the
 * region and two versions of one layer), then looked up. A function keeps what it needs of
 * each version (its zip's address and size), so deleting the version later leaves the
 * function running, as on AWS. AWS's recorded answers have one fault each, so the order among
 * these checks is lambdock's: what can be told without a look-up comes first. An empty list is
 * a function without layers. lambdock keeps the layers of its one account: another account's
 * ARN, or AWS's own `awslayer`, names a version that does not exist here.
 */
import {
  CONSTRAINTS,
  invalidParameter,
  type ArnContext,
  type FunctionLayer,
  type LayerVersionRecord,
} from '@lambdock/core';
import { LAYER_VERSION_ARN } from '../layers/layer-input.js';
import { UNZIPPED_LIMIT_BYTES } from './code-package.js';
import { type Problems, readStringList } from './field-readers.js';

const MAX_ARN_LENGTH = 2048;
/** AWS's limit on the layers of one function. */
const LAYERS_MAX = 5;

/** Model constraints: every member a layer version ARN, the whole list shown once. */
export function readLayers(problems: Problems, value: unknown): string[] | undefined {
  // The model sets no maximum on the list: the count is the service's rule below.
  const arns = readStringList(problems, 'layers', value, Number.MAX_SAFE_INTEGER);
  if (arns === undefined) return undefined;
  const fits = (arn: string): boolean =>
    arn.length >= 1 && arn.length <= MAX_ARN_LENGTH && LAYER_VERSION_ARN.re.test(arn);
  if (arns.every(fits)) return arns;
  problems.add(
    'layers',
    `[${arns.join(', ')}]`,
    `Member must satisfy constraint: [${CONSTRAINTS.maxLength(MAX_ARN_LENGTH)}, ${CONSTRAINTS.minLength(1)}, ${CONSTRAINTS.pattern(LAYER_VERSION_ARN.source)}, ${CONSTRAINTS.notNull}]`,
  );
  return undefined;
}

export interface LayerVersionArn {
  readonly arn: string;
  /** The ARN without its version: what two versions of one layer share. */
  readonly layer: string;
  /** Undefined for AWS's own (`awslayer`) layers, which have no region. */
  readonly region: string | undefined;
  readonly accountId: string | undefined;
  readonly name: string;
  readonly version: number;
}

/** A layer version ARN that passed the model's pattern, in its parts. */
export function parseLayerVersionArn(arn: string): LayerVersionArn {
  const parts = arn.split(':');
  const managed = parts[5] === 'awslayer';
  return {
    arn,
    layer: managed ? arn : parts.slice(0, -1).join(':'),
    region: managed ? undefined : parts[3],
    accountId: managed ? undefined : parts[4],
    name: parts[6] ?? '',
    version: managed ? 0 : Number(parts[7]),
  };
}

/** Whether lambdock could hold this version: one of this account's, in this region. */
export function isKeptHere(layer: LayerVersionArn, ctx: ArnContext): boolean {
  return layer.region === ctx.region && layer.accountId === ctx.accountId;
}

/** The service's rules that need no look-up, for a list that passed the model. */
function checkList(layers: readonly LayerVersionArn[], region: string): void {
  if (layers.length > LAYERS_MAX)
    throw invalidParameter(`Cannot reference more than ${LAYERS_MAX} layers.`);
  if (layers.some((l) => l.region !== undefined && l.region !== region)) {
    throw invalidParameter(
      `Layers are not in the same region as the function. Layers are expected to be in region ${region}.`,
    );
  }
  for (const [i, first] of layers.entries()) {
    const second = layers.slice(i + 1).find((l) => l.layer === first.layer);
    if (second !== undefined) {
      throw invalidParameter(
        `Two different versions of the same layer are not allowed to be referenced in the same function. ${first.arn} and ${second.arn} are versions of the same layer.`,
      );
    }
  }
}

export interface LayerLookup {
  get(layerName: string, version: number): Promise<LayerVersionRecord | undefined>;
}

/**
 * What a function stores for the `Layers` it was given (undefined: the member was not sent),
 * in the order given; refused in AWS's words when any named version does not exist here.
 */
export async function resolveLayers(
  arns: readonly string[] | undefined,
  ctx: ArnContext,
  store: LayerLookup,
): Promise<FunctionLayer[] | undefined> {
  if (arns === undefined) return undefined;
  const layers = arns.map(parseLayerVersionArn);
  checkList(layers, ctx.region);
  const records = await Promise.all(
    layers.map((l) =>
      isKeptHere(l, ctx) ? store.get(l.name, l.version) : Promise.resolve(undefined),
    ),
  );
  return layers.map((layer, i) => {
    const record = records[i];
    if (record === undefined) throw invalidParameter(`Layer version ${layer.arn} does not exist.`);
    return {
      arn: layer.arn,
      codeKey: record.codeKey,
      codeSize: record.codeSize,
      ...(record.unzippedSize === undefined ? {} : { unzippedSize: record.unzippedSize }),
    };
  });
}

/**
 * AWS's limit on what a function unzips to, its layers included (each package alone is checked
 * as it is uploaded). A size lambdock did not keep (records made before it did) counts as 0.
 */
export function checkUnzippedTotal(
  codeUnzippedSize: number | undefined,
  layers: readonly FunctionLayer[],
): void {
  if (layers.length === 0) return;
  const total = layers.reduce((sum, l) => sum + (l.unzippedSize ?? 0), codeUnzippedSize ?? 0);
  if (total > UNZIPPED_LIMIT_BYTES) {
    throw invalidParameter(
      `Function code combined with layers exceeds the maximum allowed size of ${UNZIPPED_LIMIT_BYTES} bytes. The actual size is ${total} bytes.`,
    );
  }
}
