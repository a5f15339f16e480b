/**
 * @module
 * The stored shape of each event source. Records are written by the gateway (API and the
 * declarative sources file) and read by the gateway (routes, URLs, webhooks) and the scheduler.
 */

/** Who owns a record: the API, or the sources file (which re-applies it on every start). */
export type ManagedBy = 'api' | 'file';

export interface RouteRecord {
  routeId: string;
  /** `GET /items/{id}`, `ANY /{proxy+}` or `$default`. */
  routeKey: string;
  functionName: string;
  qualifier?: string;
  payloadFormatVersion: '1.0' | '2.0';
  /** Integration timeout: past it the caller gets 504 while the function may still run. */
  timeoutMs: number;
  managedBy: ManagedBy;
  createdAt: string;
}

/** A function URL's CORS settings, as the Lambda API names them. */
export interface CorsConfig {
  AllowCredentials?: boolean;
  AllowHeaders?: string[];
  AllowMethods?: string[];
  AllowOrigins?: string[];
  ExposeHeaders?: string[];
  MaxAge?: number;
}

export interface FunctionUrlRecord {
  urlId: string;
  functionName: string;
  /** An alias name, or absent for the unqualified function. */
  qualifier?: string;
  authType: 'NONE' | 'AWS_IAM';
  cors?: CorsConfig;
  invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
  /** AWS echoes InvokeMode from Create/Update only once it was ever sent explicitly. */
  invokeModeSet: boolean;
  creationTime: string;
  lastModifiedTime: string;
}

export interface ScheduleRecord {
  name: string;
  expression: string;
  timeZone: string;
  functionName: string;
  qualifier?: string;
  /** Constant JSON text sent instead of the Scheduled Event. */
  input?: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  /** Epoch ms of creation: the anchor of `rate(...)` ticks. */
  createdAtMs: number;
  managedBy: ManagedBy;
}

/** What the scheduler remembers per rule (kept apart from the rule so edits never race it). */
export interface ScheduleState {
  lastTickMs: number;
  firedAtMs: number;
}

export interface WebhookRecord {
  name: string;
  /** Hex SHA-256 of the secret; the secret itself is shown once, at creation. */
  secretSha256: string;
  createdAt: string;
  managedBy: ManagedBy;
}

export interface TriggerRecord {
  id: string;
  webhook: string;
  bucket: string;
  /** AWS event types with the `s3:` prefix; a trailing `*` matches a family. */
  events: string[];
  /** Matched against the decoded key. */
  prefix?: string;
  /** Matched against the decoded key. */
  suffix?: string;
  functionName: string;
  qualifier?: string;
  managedBy: ManagedBy;
  createdAt: string;
}
