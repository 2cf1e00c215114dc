import type { AnyColumn } from 'drizzle-orm';
import { and, asc, eq, lt, isNull, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../platform/db/database.js';
import { selectRows } from '../../platform/db/database.js';
import { commitBatch, END_ORDER } from '../../platform/db/commit-batch.js';
import { prepared, type Placeholders } from '../../platform/db/prepared.js';
import { valueForId } from '../../platform/db/set-based.js';
import { publish, writeAnnounced } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { inventoryLow, inventoryReleased, inventoryReserved } from './events.js';
import { reservations, stockItems, stockLevels } from './schema.js';

export interface StockLine {
  variantId: string;
  quantity: number;
}

interface LevelRow {
  location_id: string;
  on_hand: number;
  reserved: number;
  committed: number;
  low_threshold: number;
}

const availableOf = (r: { on_hand: number; reserved: number; committed: number }) => Number(r.on_hand) - Number(r.reserved) - Number(r.committed);

/** Merges lines of the same variant and sorts by variant id: every transaction locks stock rows in this one order, so two checkouts sharing variants cannot deadlock. */
export function lockOrder(lines: readonly StockLine[]): StockLine[] {
  const merged = new Map<string, number>();
  for (const l of lines) merged.set(l.variantId, (merged.get(l.variantId) ?? 0) + l.quantity);
  return [...merged].map(([variantId, quantity]) => ({ variantId, quantity })).sort((a, b) => (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0));
}

/**
 * Holds stock for a checkout. The guard is the WHERE clause of one conditional UPDATE per
 * line: the row is locked and re-checked by PostgreSQL, so no two transactions, in one
 * process or many, can both take the last unit. A line that does not fit throws, and the
 * caller's transaction rolls back every line already held (no partial reservation). With
 * `orderId` the hold belongs to that order from the start (attachToOrder's effect). The
 * reservation row is written by the same statement: the stock row, which every checkout of
 * that variant queues on, is then held for no further round trip before the commit.
 */
export async function reserveStock(tx: Tx, checkoutId: string, lines: readonly StockLine[], expiresAt: Date, orderId?: string): Promise<void> {
  const sorted = lockOrder(lines);
  // The transaction's events are written before the stock rows are locked, not after: a
  // checkout reserves last, so its lock then waits only for the commit (a failed hold rolls
  // the events back with everything else).
  await publish(tx, inventoryReserved.create(checkoutId, { checkoutId, lines: sorted, expiresAt: expiresAt.toISOString() }));
  await writeAnnounced(tx);
  for (const line of sorted) {
    const q = line.quantity;
    // The location is chosen from the statement's snapshot; when a checkout committed meanwhile
    // took what was left there, the guard refuses it even though another location still fits:
    // so while enough is left in all, the hold is tried again, on a fresh snapshot.
    let held = await holdAtOneLocation(tx, checkoutId, line, expiresAt, orderId);
    for (let retry = 0; !held && retry < 3; retry++) {
      const available = (await availability(tx, [line.variantId])).get(line.variantId)?.available ?? 0;
      if (available < q) throw outOfStock(line.variantId, available, q);
      held = await holdAtOneLocation(tx, checkoutId, line, expiresAt, orderId);
    }
    if (!held) throw outOfStock(line.variantId, (await availability(tx, [line.variantId])).get(line.variantId)?.available ?? 0, q);
    await announceLow(tx, line.variantId, held, q);
  }
}

async function holdAtOneLocation(tx: Tx, checkoutId: string, line: StockLine, expiresAt: Date, orderId: string | undefined): Promise<LevelRow | undefined> {
  const q = line.quantity;
  const [held] = await selectRows<LevelRow>(tx, sql`
    with held as (
      update inventory_levels l set reserved = l.reserved + ${q}, updated_at = now()
      from inventory_items i
      where i.variant_id = l.variant_id and l.variant_id = ${line.variantId}
        and l.location_id = (
          select l2.location_id from inventory_levels l2 join inventory_items i2 on i2.variant_id = l2.variant_id
          where l2.variant_id = ${line.variantId} and (i2.backorder or l2.on_hand - l2.reserved - l2.committed >= ${q})
          order by (l2.on_hand - l2.reserved - l2.committed >= ${q}) desc, l2.location_id limit 1)
        and (i.backorder or l.on_hand - l.reserved - l.committed >= ${q})
      returning l.location_id, l.on_hand, l.reserved, l.committed, i.low_threshold
    ), hold as (
      insert into ${reservations} (id, checkout_id, order_id, variant_id, location_id, quantity, expires_at)
      select ${newId()}::uuid, ${checkoutId}::uuid, ${orderId ?? null}::uuid, ${line.variantId}::uuid, location_id, ${q}::int, ${expiresAt.toISOString()}::timestamptz from held
    )
    select * from held`);
  return held;
}

/** The refusal of a hold that does not fit. */
export const outOfStock = (variantId: string, available: number, requested: number) =>
  problem(409, 'out-of-stock', available > 0 ? `Only ${available} left of this item` : 'This item is out of stock', { variantId, available: Math.max(0, available), requested });

/** One checkout's hold, as reserveStockTogether takes them. */
export interface CheckoutHold {
  checkoutId: string;
  lines: readonly StockLine[];
}

/**
 * reserveStock() for many checkouts (none of them for an order yet), with one conditional UPDATE
 * for all: each variant's stock row takes the group's whole quantity, at the first location
 * where it fits (or any, on backorder), and each checkout's reservation rows are written by the
 * same statement. False when some variant's quantity fits no location: the other variants are
 * held by then, so the caller must roll its transaction back (the events announced here with
 * it), then hold each checkout on its own, which says precisely which line does not fit.
 */
export async function reserveStockTogether(tx: Tx, holds: readonly CheckoutHold[], expiresAt: Date): Promise<boolean> {
  const wanted = holds.flatMap((h) => lockOrder(h.lines).map((l) => ({ id: newId(), checkoutId: h.checkoutId, variantId: l.variantId, quantity: l.quantity })));
  const variants = new Set(wanted.map((w) => w.variantId)).size;
  await publish(tx, ...holds.map((h) => inventoryReserved.create(h.checkoutId, { checkoutId: h.checkoutId, lines: lockOrder(h.lines), expiresAt: expiresAt.toISOString() })));
  await writeAnnounced(tx);
  const held = await selectRows<LevelRow & { variant_id: string; taken: number }>(tx, sql`
    with wanted as (
      select * from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(id uuid, "checkoutId" uuid, "variantId" uuid, quantity int)
    ), need as (
      select "variantId" as variant_id, sum(quantity)::int as q from wanted group by "variantId"
    ), held as (
      update inventory_levels l set reserved = l.reserved + need.q, updated_at = now()
      from need, inventory_items i
      where i.variant_id = l.variant_id and l.variant_id = need.variant_id
        and l.location_id = (
          select l2.location_id from inventory_levels l2 join inventory_items i2 on i2.variant_id = l2.variant_id
          where l2.variant_id = need.variant_id and (i2.backorder or l2.on_hand - l2.reserved - l2.committed >= need.q)
          order by (l2.on_hand - l2.reserved - l2.committed >= need.q) desc, l2.location_id limit 1)
        and (i.backorder or l.on_hand - l.reserved - l.committed >= need.q)
      returning l.variant_id, l.location_id, l.on_hand, l.reserved, l.committed, i.low_threshold, need.q as taken
    ), hold as (
      insert into ${reservations} (id, checkout_id, order_id, variant_id, location_id, quantity, expires_at)
      select w.id, w."checkoutId", null, w."variantId", held.location_id, w.quantity, ${expiresAt.toISOString()}::timestamptz
      from wanted w join held on held.variant_id = w."variantId"
    )
    select * from held`);
  if (held.length !== variants) return false;
  for (const row of held) await announceLow(tx, row.variant_id, row, Number(row.taken));
  return true;
}

/** inventory.low once, when this change takes available stock across the threshold. */
async function announceLow(tx: Tx, variantId: string, after: LevelRow, taken: number): Promise<void> {
  const now = availableOf(after);
  const threshold = Number(after.low_threshold);
  if (now <= threshold && now + taken > threshold) await publish(tx, inventoryLow.create(variantId, { variantId, available: now, threshold }));
}

/** Gives back what a checkout holds (expiry, cancellation, payment failure). Idempotent: released rows stay released. */
export async function releaseCheckout(tx: Tx, checkoutId: string, reason: string): Promise<number> {
  const released = await tx.update(reservations).set({ status: 'released', releasedReason: reason, updatedAt: sql`now()` })
    .where(and(eq(reservations.checkoutId, checkoutId), eq(reservations.status, 'active')))
    .returning({ variantId: reservations.variantId, locationId: reservations.locationId, quantity: reservations.quantity });
  await levelMoves.add(tx, released.map((r) => ({ variantId: r.variantId, locationId: r.locationId, reserved: -r.quantity })));
  if (released.length > 0) await publish(tx, inventoryReleased.create(checkoutId, { checkoutId, reason, lines: lockOrder(released) }));
  return released.length;
}

const attachHolds = prepared((db, p: Placeholders<{ checkoutId: string; orderId: string }>) => db.update(reservations).set({ orderId: sql`${p.orderId}`, updatedAt: sql`now()` })
  .where(and(eq(reservations.checkoutId, p.checkoutId), eq(reservations.status, 'active'))).returning({ id: reservations.id }));

/** The order owns the checkout's reservations from now on (they no longer expire). */
export async function attachToOrder(tx: Tx, checkoutId: string, orderId: string): Promise<number> {
  return (await attachHolds(tx, { checkoutId, orderId })).length;
}

const attachAllHolds = prepared((db, p: Placeholders<{ checkoutIds: string[]; orderIds: string[] }>) => db.update(reservations)
  .set({ orderId: valueForId(p.checkoutIds, p.orderIds, reservations.checkoutId, 'uuid'), updatedAt: sql`now()` })
  .where(and(sql`${reservations.checkoutId} = any(${p.checkoutIds})`, eq(reservations.status, 'active'))).returning({ checkoutId: reservations.checkoutId }));

/** attachToOrder() for a group of checkouts at once: the checkouts that still had a hold to attach. */
export async function attachAllToOrders(tx: Tx, list: readonly { checkoutId: string; orderId: string }[]): Promise<Set<string>> {
  const attached = await attachAllHolds(tx, { checkoutIds: list.map((l) => l.checkoutId), orderIds: list.map((l) => l.orderId) });
  return new Set(attached.map((a) => a.checkoutId));
}

/** Payment is secured: reserved units become committed to their orders (still on hand until shipped); a consumer run's orders at once. */
export async function commitOrderStock(tx: Tx, orderIds: readonly string[]): Promise<number> {
  return moveOrderStock(tx, orderIds, 'active', 'committed', (q) => ({ reserved: -q, committed: q }));
}

/** The parcel left: committed units leave the shelf. */
export async function shipOrderStock(tx: Tx, orderId: string): Promise<number> {
  return moveOrderStock(tx, [orderId], 'committed', 'shipped', (q) => ({ committed: -q, onHand: -q }));
}

/** A cancelled order gives its units back, whether still reserved or already committed. */
export async function restockOrder(tx: Tx, orderId: string, reason: string): Promise<number> {
  const a = await moveOrderStock(tx, [orderId], 'active', 'released', (q) => ({ reserved: -q }), reason);
  const b = await moveOrderStock(tx, [orderId], 'committed', 'released', (q) => ({ committed: -q }), reason);
  return a + b;
}

type Status = (typeof reservations.$inferSelect)['status'];

type LevelChange = Partial<Record<'reserved' | 'committed' | 'onHand', number>>;

// Every move of units between a level's columns is this one statement (a zero where a column does not move).
const updateLevel = prepared((db, p: Placeholders<{ variantId: string; locationId: string; reserved: number; committed: number; onHand: number }>) => db.update(stockLevels).set({
  reserved: sql`${stockLevels.reserved} + ${p.reserved}`, committed: sql`${stockLevels.committed} + ${p.committed}`, onHand: sql`${stockLevels.onHand} + ${p.onHand}`, updatedAt: sql`now()`,
}).where(and(eq(stockLevels.variantId, p.variantId), eq(stockLevels.locationId, p.locationId))));

type LevelMove = LevelChange & { variantId: string; locationId: string };

/**
 * Moves of units between a level's columns, summed per level and applied at the transaction's
 * end, in lock order: every checkout of a variant queues on its level row, and a consumer's run
 * of fifty orders would otherwise hold it from the first order's move to the run's commit.
 */
const levelMoves = commitBatch(async (tx: Tx, moves: LevelMove[]) => {
  const summed = new Map<string, Required<LevelMove>>();
  for (const m of moves) {
    const key = `${m.variantId}/${m.locationId}`;
    const level = summed.get(key) ?? { variantId: m.variantId, locationId: m.locationId, reserved: 0, committed: 0, onHand: 0 };
    level.reserved += m.reserved ?? 0;
    level.committed += m.committed ?? 0;
    level.onHand += m.onHand ?? 0;
    summed.set(key, level);
  }
  for (const level of sortRows([...summed.values()])) await updateLevel(tx, level);
}, { order: END_ORDER.contendedRows });

// A reason only for releases; other moves keep the column as it is.
const moveHolds = prepared((db, p: Placeholders<{ orderIds: string[]; from: Status; to: Status; reason: string | null }>) => db.update(reservations)
  .set({ status: sql`${p.to}`, releasedReason: sql`coalesce(${p.reason}, ${reservations.releasedReason})`, updatedAt: sql`now()` })
  .where(and(sql`${reservations.orderId} = any(${p.orderIds})`, eq(reservations.status, sql`${p.from}`)))
  .returning({ variantId: reservations.variantId, locationId: reservations.locationId, quantity: reservations.quantity }));

async function moveOrderStock(tx: Tx, orderIds: readonly string[], from: Status, to: Status, change: (q: number) => LevelChange, reason?: string): Promise<number> {
  const moved = await moveHolds(tx, { orderIds: [...orderIds], from, to, reason: reason ?? null });
  await levelMoves.add(tx, moved.map((r) => ({ variantId: r.variantId, locationId: r.locationId, ...change(r.quantity) })));
  return moved.length;
}

const sortRows = <T extends { variantId: string; locationId: string }>(rows: T[]): T[] =>
  [...rows].sort((a, b) => a.variantId.localeCompare(b.variantId) || a.locationId.localeCompare(b.locationId));

export interface Availability {
  variantId: string;
  stocked: boolean;
  backorder: boolean;
  onHand: number;
  reserved: number;
  committed: number;
  available: number;
}

const sum = (column: AnyColumn) => sql<number>`coalesce(sum(${column}), 0)::int`;
const summedLevels = (db: Db) => db.select({
  variantId: stockItems.variantId, backorder: stockItems.backorder,
  onHand: sum(stockLevels.onHand), reserved: sum(stockLevels.reserved), committed: sum(stockLevels.committed),
}).from(stockItems).leftJoin(stockLevels, eq(stockLevels.variantId, stockItems.variantId));
// `= any(array)` rather than `in (…)`: one statement text, so one prepared statement, for any number of variants.
const stockOf = prepared((db, p: Placeholders<{ variantIds: string[] }>) => summedLevels(db)
  .where(sql`${stockItems.variantId} = any(${p.variantIds})`).groupBy(stockItems.variantId, stockItems.backorder));
// One variant (a line edit's) has its own statement: PostgreSQL keeps its plan, where `= any($1)` is planned at every run.
const stockOfOne = prepared((db, p: Placeholders<{ variantId: string }>) => summedLevels(db)
  .where(eq(stockItems.variantId, p.variantId)).groupBy(stockItems.variantId, stockItems.backorder));

export async function availability(db: Db, variantIds: readonly string[]): Promise<Map<string, Availability>> {
  const out = new Map<string, Availability>();
  if (variantIds.length === 0) return out;
  const rows = variantIds.length === 1 ? await stockOfOne(db, { variantId: variantIds[0] as string }) : await stockOf(db, { variantIds: [...variantIds] });
  for (const r of rows) {
    out.set(r.variantId, { ...r, stocked: true, available: r.onHand - r.reserved - r.committed });
  }
  return out;
}

/** Checkouts whose hold ran out before an order took it: the sweeper releases them. */
export async function expiredCheckouts(db: Db, now: Date, limit = 100): Promise<string[]> {
  const rows = await db.selectDistinct({ checkoutId: reservations.checkoutId }).from(reservations)
    .where(and(eq(reservations.status, 'active'), isNull(reservations.orderId), lt(reservations.expiresAt, now.toISOString())))
    .orderBy(asc(reservations.checkoutId)).limit(limit);
  return rows.map((r) => r.checkoutId);
}
