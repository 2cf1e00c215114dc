import { createHash } from 'node:crypto';
import { asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/database.js';
import { commitBatch, END_ORDER } from '../db/commit-batch.js';
import { platformMeta } from '../db/schema.js';
import { newId } from '../ids.js';
import { auditLog } from './schema.js';
import { prepared, type Placeholders } from '../db/prepared.js';

export interface AuditEntry {
  action: string;
  actor: string | null;
  subjectType: string;
  subjectId: string;
  data?: Record<string, unknown>;
}

/** The first entry's predecessor. */
export const GENESIS_HASH = '0'.repeat(64);
/** Arbitrary constant: the advisory lock that serialises appends, so the chain never forks. */
const AUDIT_LOCK = 7_142_002;
/**
 * The newest entry's seq and hash, kept beside the chain: deleting the last entries leaves
 * a consistent chain, but not one that reaches this head. (Someone who can rewrite both
 * can hide a truncation; `audit:verify` prints the head so operators can keep it elsewhere.)
 */
const HEAD_KEY = 'audit-head';

/** JSON with object keys sorted at every depth, so jsonb's re-ordering cannot change a hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface HashedFields {
  seq: number;
  id: string;
  occurredAt: string;
  action: string;
  actor: string | null;
  subjectType: string;
  subjectId: string;
  data: unknown;
  prevHash: string;
}

export function entryHash(e: HashedFields): string {
  const content = canonicalJson({
    seq: e.seq, id: e.id, occurredAt: new Date(e.occurredAt).toISOString(), action: e.action,
    actor: e.actor, subjectType: e.subjectType, subjectId: e.subjectId, data: e.data,
  });
  return createHash('sha256').update(e.prevHash).update('\n').update(content).digest('hex');
}

const selectHeadForUpdate = prepared((db, p: Placeholders<{ key: string }>) =>
  db.select({ value: platformMeta.value }).from(platformMeta).where(eq(platformMeta.key, p.key)).for('update'));

type Draft = Omit<HashedFields, 'seq' | 'prevHash'>;

/**
 * Appends in the caller's transaction: the entry exists if and only if the change it records
 * commits. In a transaction of Database.transaction() the entries are chained and written as
 * its very last statements (a commit batch, ordered last), so the chain's head, which every append
 * queues on, is locked only for those and the commit, however much the transaction does after
 * this call (a consumer's run of fifty payments appends fifty entries with two statements).
 * Elsewhere at once.
 */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await appended.add(tx, [{
    id: newId(), occurredAt: new Date().toISOString(), action: entry.action, actor: entry.actor,
    subjectType: entry.subjectType, subjectId: entry.subjectId, data: entry.data ?? {},
  }]);
}

/**
 * Two statements for any number of entries: the head row read FOR UPDATE (appends queue on that
 * row lock, and under READ COMMITTED the row is re-read once the lock is granted, so every
 * append sees the one committed before it and the chain never forks), then the entries and the
 * new head in one statement.
 */
async function writeEntries(tx: Tx, drafts: readonly Draft[]): Promise<void> {
  const lockHead = async () => {
    const [head] = await selectHeadForUpdate(tx, { key: HEAD_KEY });
    return head?.value as { seq: number; hash: string } | undefined;
  };
  let last = await lockHead();
  if (!last) {
    // No head row yet (the first entries ever): nothing to lock, so the appends that find none
    // queue on an advisory lock; only they can create the head, so once we hold it, either a
    // head now exists (lock it, and queue with everyone else) or the newest entry is the head.
    await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    last = await lockHead();
    last ??= (await tx.select({ seq: auditLog.seq, hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1))[0];
  }
  let head = { seq: last?.seq ?? 0, hash: last?.hash ?? GENESIS_HASH };
  const entries = drafts.map((draft) => {
    const fields: HashedFields = { ...draft, seq: head.seq + 1, prevHash: head.hash };
    head = { seq: fields.seq, hash: entryHash(fields) };
    return { ...fields, hash: head.hash };
  });
  // One text for any number of entries (as the outbox's insert): a JSON array, unnested.
  await tx.execute(sql`with entry as (
      insert into ${auditLog} (seq, id, occurred_at, action, actor, subject_type, subject_id, data, prev_hash, hash)
      select (e->>'seq')::bigint, (e->>'id')::uuid, (e->>'occurredAt')::timestamptz, e->>'action', e->>'actor', e->>'subjectType', e->>'subjectId', e->'data', e->>'prevHash', e->>'hash'
      from jsonb_array_elements(${JSON.stringify(entries)}::jsonb) as t(e)
    )
    insert into ${platformMeta} (key, value, updated_at) values (${HEAD_KEY}, ${JSON.stringify(head)}::jsonb, now())
    on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`);
}

const appended = commitBatch(writeEntries, { order: END_ORDER.auditChainHead });

export interface ChainReport {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  /** The first entry that does not check out, and why. */
  brokenAt?: { seq: number; reason: string };
}

/** Walks the whole chain in pages; any edited, inserted or deleted entry shows as a break. */
export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let entries = 0;
  let head: ChainReport['head'] = null;
  for (;;) {
    const page = await db.select().from(auditLog).where(gt(auditLog.seq, expectedSeq - 1)).orderBy(asc(auditLog.seq)).limit(pageSize);
    for (const row of page) {
      if (row.seq !== expectedSeq) return { ok: false, entries, head, brokenAt: { seq: expectedSeq, reason: `entry ${expectedSeq} is missing` } };
      if (row.prevHash !== prevHash) return { ok: false, entries, head, brokenAt: { seq: row.seq, reason: 'does not follow the previous entry' } };
      if (entryHash(row) !== row.hash) return { ok: false, entries, head, brokenAt: { seq: row.seq, reason: 'content was changed after it was written' } };
      prevHash = row.hash;
      expectedSeq++;
      entries++;
      head = { seq: row.seq, hash: row.hash };
    }
    if (page.length < pageSize) break;
  }
  const [stored] = await db.select().from(platformMeta).where(eq(platformMeta.key, HEAD_KEY));
  const storedHead = stored?.value as { seq: number; hash: string } | undefined;
  if (storedHead && (storedHead.seq !== head?.seq || storedHead.hash !== head?.hash)) {
    return { ok: false, entries, head, brokenAt: { seq: (head?.seq ?? 0) + 1, reason: `the chain ends before the recorded head (entry ${storedHead.seq}): entries were deleted` } };
  }
  return { ok: true, entries, head };
}
