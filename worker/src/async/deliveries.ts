/**
 * @module
 * Make the deliveries a terminal record still owes, one by one, and write each outcome back to
 * the record. Called by whoever wrote the terminal status, and again by any redelivery of the
 * job that finds the record terminal, so a worker that died between the two loses nothing.
 * A failed dead letter counts in DeadLetterErrors, any other failed delivery in
 * DestinationDeliveryFailures.
 */
import {
  markDelivery,
  type InvocationRecord,
  type InvocationRecordStore,
  type InvokeJobData,
  type Logger,
} from '@lambdock/core';
import type { WorkerMetrics } from '../metrics.js';
import { deliveryPayload, type PayloadContext } from './delivery-payload.js';
import type { DestinationSender } from './senders.js';

export interface DeliveryDeps {
  records: Pick<InvocationRecordStore, 'update'>;
  send: DestinationSender;
  payloadContext: PayloadContext;
  metrics: Pick<WorkerMetrics, 'deadLetterErrors' | 'destinationDeliveryFailures'>;
  logger: Logger;
  now: () => number;
}

export async function deliverPending(
  deps: DeliveryDeps,
  record: InvocationRecord,
  data: InvokeJobData,
): Promise<InvocationRecord> {
  let current = record;
  for (const delivery of record.Destinations) {
    if (delivery.Status !== 'Pending') continue;
    let outcome: { status: 'Delivered' | 'Failed'; error?: string };
    try {
      await deps.send(
        delivery,
        deliveryPayload(delivery, current, data, deps.payloadContext),
        current,
      );
      outcome = { status: 'Delivered' };
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      outcome = { status: 'Failed', error };
      const labels = { function: record.FunctionName };
      if (delivery.Kind === 'DeadLetter') deps.metrics.deadLetterErrors.inc(labels);
      else deps.metrics.destinationDeliveryFailures.inc(labels);
      deps.logger.warn(
        { requestId: record.RequestId, kind: delivery.Kind, target: delivery.Target, error },
        'async delivery failed',
      );
    }
    const { record: stored } = await deps.records.update(record.RequestId, (cur) =>
      cur === undefined ? undefined : markDelivery(cur, delivery.DeliveryId, outcome, deps.now()),
    );
    if (stored !== undefined) current = stored;
  }
  return current;
}
