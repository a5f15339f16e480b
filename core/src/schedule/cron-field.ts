/**
 * @module
 * Parses one cron field of lists (`,`), ranges (`-`), increments (`/`) and names into its sorted
 * values. Both dialects share it; the special day characters (`?`, `L`, `W`, `#`) are handled
 * by the dialect parsers before they get here.
 *
 * A range whose start is above its end wraps around when the field allows it (`FRI-MON` is
 * Friday, Saturday, Sunday, Monday; `22-2` hours is 22, 23, 0, 1, 2): the values run up to the
 * field's maximum and continue from its minimum, and an increment counts across the wrap. This is
 * what Quartz, the engine EventBridge's syntax comes from, does. Years never wrap.
 */

export interface CronFieldDef {
  /** Field name used in error messages, e.g. `day-of-week`. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Upper-case names and their values, e.g. `{ JAN: 1 }`. */
  readonly names?: Readonly<Record<string, number>>;
  readonly wraps: boolean;
}

export type FieldResult =
  | { readonly ok: true; readonly values: number[] }
  | { readonly ok: false; readonly message: string };

export type ValueResult =
  { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/** Parses the whole field text, e.g. `0-10/5,30`. */
export function parseCronField(text: string, def: CronFieldDef): FieldResult {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const parsed = parseItem(item, def);
    if (!parsed.ok) return parsed;
    for (const v of parsed.values) values.add(v);
  }
  return { ok: true, values: [...values].sort((a, b) => a - b) };
}

/** Parses one number or name and checks it against the field's range. */
export function parseCronValue(text: string, def: CronFieldDef): ValueResult {
  let value: number | undefined;
  if (/^\d+$/.test(text)) value = Number(text);
  else if (def.names !== undefined && Object.hasOwn(def.names, text.toUpperCase())) {
    value = def.names[text.toUpperCase()];
  }
  if (value === undefined) return fail(`${def.label} value '${text}' is not valid`);
  if (value < def.min || value > def.max) {
    return fail(`${def.label} value ${value} is out of range ${def.min}-${def.max}`);
  }
  return { ok: true, value };
}

function parseItem(item: string, def: CronFieldDef): FieldResult {
  if (item === '') return fail(`${def.label} has an empty list item`);
  const [base = '', stepText, extra] = item.split('/');
  if (extra !== undefined) return fail(`${def.label} item '${item}' has more than one '/'`);
  let step = 1;
  if (stepText !== undefined) {
    const limit = def.max - def.min + 1;
    step = /^\d+$/.test(stepText) ? Number(stepText) : NaN;
    if (!(step >= 1 && step <= limit)) {
      return fail(`${def.label} increment '${stepText}' must be a number between 1 and ${limit}`);
    }
  }
  const bounds = parseBounds(base, def, stepText !== undefined);
  if (!bounds.ok) return bounds;
  const { start, end } = bounds;
  if (start > end && !def.wraps) {
    return fail(`${def.label} range '${base}' must go from low to high`);
  }
  const sequence: number[] = [];
  const count = start <= end ? end - start + 1 : def.max - start + 1 + (end - def.min + 1);
  for (let i = 0; i < count; i += step) {
    const v = start + i;
    sequence.push(v <= def.max ? v : v - (def.max - def.min + 1));
  }
  return { ok: true, values: sequence };
}

type BoundsResult =
  | { readonly ok: true; readonly start: number; readonly end: number }
  | { readonly ok: false; readonly message: string };

function parseBounds(base: string, def: CronFieldDef, hasStep: boolean): BoundsResult {
  if (base === '*') return { ok: true, start: def.min, end: def.max };
  const [from = '', to, extra] = base.split('-');
  if (extra !== undefined) return fail(`${def.label} range '${base}' has more than one '-'`);
  const start = parseCronValue(from, def);
  if (!start.ok) return start;
  if (to === undefined)
    return { ok: true, start: start.value, end: hasStep ? def.max : start.value };
  const end = parseCronValue(to, def);
  if (!end.ok) return end;
  return { ok: true, start: start.value, end: end.value };
}
