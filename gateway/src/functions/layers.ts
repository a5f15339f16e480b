/**
 * @module
 * The `Layers` member of CreateFunction and UpdateFunctionConfiguration. lambdock keeps no
 * layers, so no layer version exists here: a function that names one is refused with AWS's
 * answer for a missing layer version rather than created without it (its code would then fail
 * at its first import). Before that, AWS's other checks run, each in AWS's words: the model's
 * ARN pattern (ValidationException), then the count, the region and two versions of one layer
 * (InvalidParameterValueException). AWS's recorded answers have one fault each, so the order
 * among these is lambdock's: what can be told without looking a layer up comes first. An empty
 * list is accepted: a function without layers.
 */
import { CONSTRAINTS, invalidParameter } from '@lambdock/core';
import { type Problems, readStringList } from './field-readers.js';

/** AWS's model pattern for a layer version ARN (its own layers' `awslayer` form included). */
const LAYER_VERSION_ARN = String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`;
const LAYER_VERSION_RE = new RegExp(`^(?:${LAYER_VERSION_ARN})$`);
const MAX_ARN_LENGTH = 2048;
/** AWS's limit on the layers of one function. */
const LAYERS_MAX = 5;

/** Model constraints: every member a layer version ARN, the whole list shown once. */
export function readLayers(problems: Problems, value: unknown): string[] | undefined {
  // The model sets no maximum on the list: the count is the service's rule below.
  const arns = readStringList(problems, 'layers', value, Number.MAX_SAFE_INTEGER);
  if (arns === undefined) return undefined;
  const fits = (arn: string): boolean =>
    arn.length >= 1 && arn.length <= MAX_ARN_LENGTH && LAYER_VERSION_RE.test(arn);
  if (arns.every(fits)) return arns;
  problems.add(
    'layers',
    `[${arns.join(', ')}]`,
    `Member must satisfy constraint: [${CONSTRAINTS.maxLength(MAX_ARN_LENGTH)}, ${CONSTRAINTS.minLength(1)}, ${CONSTRAINTS.pattern(LAYER_VERSION_ARN)}, ${CONSTRAINTS.notNull}]`,
  );
  return undefined;
}

interface LayerVersionArn {
  readonly arn: string;
  /** The ARN without its version: what two versions of one layer share. */
  readonly layer: string;
  /** Undefined for AWS's own (`awslayer`) layers, which have no region. */
  readonly region: string | undefined;
}

function parse(arn: string): LayerVersionArn {
  const parts = arn.split(':');
  const managed = parts[5] === 'awslayer';
  return {
    arn,
    layer: managed ? arn : parts.slice(0, -1).join(':'),
    region: managed ? undefined : parts[3],
  };
}

/**
 * The service's rules for a list that passed the model; every layer version named is then
 * missing here. The first sentence of that refusal is AWS's own.
 */
export function refuseLayers(arns: readonly string[] | undefined, region: string): void {
  if (arns === undefined || arns.length === 0) return;
  if (arns.length > LAYERS_MAX)
    throw invalidParameter(`Cannot reference more than ${LAYERS_MAX} layers.`);
  const layers = arns.map(parse);
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
  throw invalidParameter(
    `Layer version ${arns[0]} does not exist. lambdock keeps no layers: put the layer's files in the function's deployment package or container image.`,
  );
}
