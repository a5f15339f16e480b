/**
 * @module
 * Pure accounting of a fault run: line the answers of an `Event` load up against the Redis
 * outages injected meanwhile (what was refused while Redis was down, how fast, and whether
 * anything was accepted then), and sum up the records the accepted request ids ended with.
 */
import type { InvocationRecord } from '@lambdock/core';
import type { EventAnswer } from './event-load.js';
import type { RedisOutage } from './redis.js';

export interface Outage extends RedisOutage {
  /** The restart was asked for (the server starts refusing from its shutdown on). */
  calledAt: number;
}

export interface AnswerAccount {
  accepted: EventAnswer[];
  /** Requests sent while no Redis server ran (between its exit and the new start). */
  sentWhileDown: EventAnswer[];
  /** 202s answered while no Redis server ran: each one is a broken promise. */
  acceptedWhileDown: EventAnswer[];
  /** Not-202 answers outside every outage (from its call to `graceMs` after it was ready). */
  unexplained: EventAnswer[];
  /** Slowest answer to a request sent while down. */
  maxDownLatencyMs: number;
  /** Slowest refusal of all, Redis shutting down and starting included. */
  maxRefusalLatencyMs: number;
  /** Refusals by when the request was sent, per phase of the outages. */
  refusedBy: { stopping: number; down: number; starting: number; reconnecting: number };
  /** Per outage: ms from Redis answering PING again to the next 202. */
  recoveryMs: number[];
}

const within = (at: number, from: number, to: number): boolean => at >= from && at < to;
const maxLatency = (answers: readonly EventAnswer[]): number =>
  Math.max(0, ...answers.map((a) => a.answeredAt - a.sentAt));

export function accountAnswers(
  answers: readonly EventAnswer[],
  outages: readonly Outage[],
  graceMs: number,
): AnswerAccount {
  const down = (at: number): boolean => outages.some((o) => within(at, o.stoppedAt, o.startingAt));
  const sentWhileDown = answers.filter((a) => down(a.sentAt));
  const refused = answers.filter((a) => a.status !== 202);
  const phase = (from: (o: Outage) => number, to: (o: Outage) => number): number =>
    refused.filter((a) => outages.some((o) => within(a.sentAt, from(o), to(o)))).length;
  const recoveryMs = outages.map((o) => {
    const next = answers.find((a) => a.status === 202 && a.sentAt >= o.readyAt);
    return next === undefined ? -1 : next.answeredAt - o.readyAt;
  });
  return {
    accepted: answers.filter((a) => a.status === 202),
    sentWhileDown,
    acceptedWhileDown: answers.filter((a) => a.status === 202 && down(a.answeredAt)),
    unexplained: answers.filter(
      (a) =>
        a.status !== 202 && !outages.some((o) => within(a.sentAt, o.calledAt, o.readyAt + graceMs)),
    ),
    maxDownLatencyMs: maxLatency(sentWhileDown),
    maxRefusalLatencyMs: maxLatency(refused),
    refusedBy: {
      stopping: phase(
        (o) => o.calledAt,
        (o) => o.stoppedAt,
      ),
      down: phase(
        (o) => o.stoppedAt,
        (o) => o.startingAt,
      ),
      starting: phase(
        (o) => o.startingAt,
        (o) => o.readyAt,
      ),
      reconnecting: phase(
        (o) => o.readyAt,
        (o) => o.readyAt + graceMs,
      ),
    },
    recoveryMs,
  };
}

export interface RecordAccount {
  byStatus: Record<string, number>;
  /** Records with more than one attempt. */
  ranMoreThanOnce: number;
  /** Records with at least one attempt whose worker died (Interrupted). */
  interrupted: number;
  interruptedAttempts: number;
  maxAttempts: number;
}

export function accountRecords(records: readonly InvocationRecord[]): RecordAccount {
  const byStatus: Record<string, number> = {};
  for (const r of records) byStatus[r.Status] = (byStatus[r.Status] ?? 0) + 1;
  const interruptedOf = (r: InvocationRecord): number =>
    r.Attempts.filter((a) => a.Outcome === 'Interrupted').length;
  return {
    byStatus,
    ranMoreThanOnce: records.filter((r) => r.Attempts.length > 1).length,
    interrupted: records.filter((r) => interruptedOf(r) > 0).length,
    interruptedAttempts: records.reduce((sum, r) => sum + interruptedOf(r), 0),
    maxAttempts: Math.max(0, ...records.map((r) => r.Attempts.length)),
  };
}
