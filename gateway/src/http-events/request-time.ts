/**
 * @module
 * API Gateway's `requestTime` / `time` format, always in UTC: `10/Mar/2020:00:03:59 +0000`.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number): string => String(n).padStart(2, '0');

export function formatRequestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const date = `${pad2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()] ?? ''}/${d.getUTCFullYear()}`;
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  return `${date}:${time} +0000`;
}
