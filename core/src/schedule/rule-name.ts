/**
 * @module
 * EventBridge rule names: 1-64 characters from `[.\-_A-Za-z0-9]`.
 */

export const RULE_NAME_MAX_LENGTH = 64;

export type RuleNameCheck =
  { readonly ok: true } | { readonly ok: false; readonly message: string };

export function validateRuleName(name: string): RuleNameCheck {
  if (name.length === 0) return { ok: false, message: 'rule name must not be empty' };
  if (name.length > RULE_NAME_MAX_LENGTH) {
    return {
      ok: false,
      message: `rule name must be at most ${RULE_NAME_MAX_LENGTH} characters, got ${name.length}`,
    };
  }
  if (!/^[.\-_A-Za-z0-9]+$/.test(name)) {
    return {
      ok: false,
      message: `rule name '${name}' may contain only letters, digits, '.', '-' and '_'`,
    };
  }
  return { ok: true };
}
