import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import type { PersonalEventFields } from '../../platform/events/redact.js';
import { webhookDeliveries } from './schema.js';

/**
 * A delivery keeps a frozen copy of its event for retries and for the admin's delivery log,
 * so an erased customer's e-mail or review text would outlive the erasure there. The modules
 * that publish the events say which fields are personal; this blanks them in every stored
 * body of that customer's events, sent or still pending (a pending one then goes out without
 * them). The body is rewritten in its own field order, so it still reads as the others do.
 */
export async function redactDeliveries(tx: Tx, declarations: readonly PersonalEventFields[], subjectId: string): Promise<number> {
  let redacted = 0;
  for (const personal of declarations) {
    const rows = await tx.select({ id: webhookDeliveries.id, body: webhookDeliveries.body }).from(webhookDeliveries)
      .where(and(inArray(webhookDeliveries.eventType, [...personal.types]), sql`(${webhookDeliveries.body}::jsonb -> 'payload' ->> ${personal.subjectField}) = ${subjectId}`));
    for (const row of rows) {
      const envelope = JSON.parse(row.body) as { payload: Record<string, unknown> };
      if (personal.fields.every((field) => !envelope.payload[field])) continue;
      for (const field of personal.fields) envelope.payload[field] = '';
      await tx.update(webhookDeliveries).set({ body: JSON.stringify(envelope) }).where(eq(webhookDeliveries.id, row.id));
      redacted++;
    }
  }
  return redacted;
}
