import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { selectRows, type Database } from '../db/database.js';
import { prepared, type Placeholders } from '../db/prepared.js';
import { batched, firstOfEach, onePer } from '../grouped.js';
import { canonicalJson } from '../security/audit.js';
import { Problem } from './problem.js';
import { idempotencyKeys } from './schema.js';

/**
 * Idempotency-Key for unsafe requests (draft-ietf-httpapi-idempotency-key-header): the first
 * request with a key claims it and its response is stored; a retry with the same key and
 * body gets that response again without running anything, the same key with another body
 * is a 422, and a retry while the first is still running is a 409. A request that fails
 * gives its key back, so nothing half-done is remembered. A request that never finished
 * because its process died (SIGKILL, OOM, power) cannot give its key back: its claim is taken
 * over by a retry once it is older than STALE_CLAIM_MS, or the key would answer 409 forever
 * (found by test/checkout-crash.test.ts).
 */
export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * How long a claim without a response counts as still running. Longer than any request should
 * take; a request that does run longer while its client retries with the same key runs twice,
 * so the operations behind keys stay idempotent themselves (checkout is: one completion per cart).
 */
export const STALE_CLAIM_MS = 10_000;

type ScopedKey = { scope: string; key: string };
type Claim = ScopedKey & { requestHash: string };
type Stored = ScopedKey & { statusCode: number; response: string };

const isKey = (p: Placeholders<ScopedKey>) => and(eq(idempotencyKeys.scope, p.scope), eq(idempotencyKeys.key, p.key));

const claimKey = prepared((db, p: Placeholders<Claim>) =>
  db.insert(idempotencyKeys).values({ scope: p.scope, key: p.key, requestHash: p.requestHash }).onConflictDoNothing().returning({ key: idempotencyKeys.key }));
// The response as JSON text: a placeholder in `set` is not mapped by its column.
const storeResponse = prepared((db, p: Placeholders<Stored>) =>
  db.update(idempotencyKeys).set({ statusCode: sql`${p.statusCode}`, response: sql`${p.response}::jsonb` })
    .where(isKey(p)));
const releaseKey = prepared((db, p: Placeholders<ScopedKey>) => db.delete(idempotencyKeys).where(isKey(p)));

/** Most claims, responses or releases written in one statement. */
const BATCH_MAX = 100;

interface KeyWriters {
  /** Whether this request claimed the key (false: another did, before or in the same batch). */
  claim(claim: Claim): Promise<boolean>;
  store(stored: Stored): Promise<void>;
  /** Gives the key of a request that failed back. */
  release(key: ScopedKey): Promise<void>;
}

/**
 * Claims, responses and releases of the requests running at one moment, written in one
 * statement each (platform/grouped.ts: batched): every checkout claims a key and stores its
 * answer, and in a flash sale thousands of refused buyers give theirs back at once, round trips
 * that would otherwise be one statement per request each.
 */
const keyWriters = onePer((database: Database): KeyWriters => {
  const claimOne = async (c: Claim) => (await claimKey(database.db, c)).length > 0;
  const claimMany = async (claims: Claim[]) => {
    // The same key twice in one batch: the first claims it, as it would have alone.
    const keyOf = (c: ScopedKey) => `${c.scope}\n${c.key}`;
    const first = firstOfEach(claims, keyOf);
    const rows = [...first];
    const claimed = await selectRows<ScopedKey>(database.db, sql`
      insert into ${idempotencyKeys} (scope, key, request_hash)
      select scope, key, "requestHash" from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as c(scope text, key text, "requestHash" text)
      on conflict do nothing returning scope, key`);
    const won = new Set(claimed.map(keyOf));
    return claims.map((c) => first.has(c) && won.has(keyOf(c)));
  };
  const storeOne = async (stored: Stored) => {
    await storeResponse(database.db, stored);
  };
  const storeMany = async (list: Stored[]) => {
    await selectRows(database.db, sql`
      update ${idempotencyKeys} k set status_code = s."statusCode", response = s.response::jsonb
      from jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as s(scope text, key text, "statusCode" int, response text)
      where k.scope = s.scope and k.key = s.key`);
    return list.map(() => undefined);
  };
  const releaseOne = async (k: ScopedKey) => {
    await releaseKey(database.db, k);
  };
  const releaseMany = async (list: ScopedKey[]) => {
    await selectRows(database.db, sql`
      delete from ${idempotencyKeys} k using jsonb_to_recordset(${JSON.stringify(list)}::jsonb) as r(scope text, key text)
      where k.scope = r.scope and k.key = r.key`);
    return list.map(() => undefined);
  };
  return {
    claim: batched(claimOne, claimMany, { maxSize: BATCH_MAX }),
    store: batched(storeOne, storeMany, { maxSize: BATCH_MAX }),
    release: batched(releaseOne, releaseMany, { maxSize: BATCH_MAX }),
  };
});

export async function idempotent<T>(
  database: Database,
  request: { scope: string; key: string | undefined; body: unknown },
  run: () => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  if (request.key === undefined) return { ...(await run()), replayed: false };
  if (!KEY.test(request.key)) throw new Problem(400, 'invalid-idempotency-key', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  const requestHash = createHash('sha256').update(canonicalJson(request.body ?? null)).digest('hex');
  const where = and(eq(idempotencyKeys.scope, request.scope), eq(idempotencyKeys.key, request.key));
  const writers = keyWriters(database);
  if (!(await writers.claim({ scope: request.scope, key: request.key, requestHash }))) {
    const [first] = await database.db.select().from(idempotencyKeys).where(where);
    if (!first) throw new Problem(409, 'idempotency-in-progress', 'A request with this Idempotency-Key just finished or failed; retry', {}, undefined, { 'retry-after': '1' });
    if (first.requestHash !== requestHash) {
      throw new Problem(422, 'idempotency-key-reused', 'This Idempotency-Key was used with a different request body; use a new key for a new request', { idempotencyKey: request.key });
    }
    if (first.statusCode !== null) return { status: first.statusCode, body: first.response as T, replayed: true };
    // One retry takes over a claim left by a dead process; the conditional update lets only one win.
    const taken = await database.db.update(idempotencyKeys).set({ createdAt: sql`now()` })
      .where(and(where, isNull(idempotencyKeys.statusCode), sql`${idempotencyKeys.createdAt} < now() - ${`${STALE_CLAIM_MS} milliseconds`}::interval`))
      .returning({ key: idempotencyKeys.key });
    if (taken.length === 0) throw new Problem(409, 'idempotency-in-progress', 'The first request with this Idempotency-Key is still running; retry shortly', {}, undefined, { 'retry-after': '1' });
  }
  try {
    const result = await run();
    await writers.store({ scope: request.scope, key: request.key, statusCode: result.status, response: JSON.stringify(result.body ?? null) });
    return { ...result, replayed: false };
  } catch (error) {
    await writers.release({ scope: request.scope, key: request.key }).catch(() => undefined);
    throw error;
  }
}
