import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database.js';
import { publish } from '../../platform/events/outbox.js';
import { problem } from '../../platform/http/problem.js';
import { newId } from '../../platform/ids.js';
import { catalogChanged } from './events.js';
import { HANDLE, handleize } from './html.js';
import { categories, productCategories } from './schema.js';

export type CategoryRow = typeof categories.$inferSelect;

export interface CategoryNode {
  id: string;
  handle: string;
  name: string;
  position: number;
  parentId: string | null;
  children: CategoryNode[];
}

export function buildTree(rows: readonly CategoryRow[]): CategoryNode[] {
  const nodes = new Map(rows.map((r) => [r.id, { id: r.id, handle: r.handle, name: r.name, position: r.position, parentId: r.parentId, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const n of nodes.values()) (n.parentId ? nodes.get(n.parentId)?.children ?? roots : roots).push(n);
  const sort = (list: CategoryNode[]) => {
    list.sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

export async function listCategories(tx: Tx): Promise<CategoryRow[]> {
  return tx.select().from(categories).orderBy(asc(categories.position));
}

async function assertHandle(tx: Tx, handle: string, exceptId?: string): Promise<void> {
  if (!HANDLE.test(handle)) throw problem(422, 'invalid-handle', `Handle ${JSON.stringify(handle)} must be lower-case letters, digits and single hyphens`);
  const [row] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.handle, handle));
  if (row && row.id !== exceptId) throw problem(409, 'duplicate-handle', `Category handle ${JSON.stringify(handle)} is taken`, { handle });
}

/** Walks up from the new parent: meeting the category itself means the move would close a loop. */
async function assertNoCycle(tx: Tx, id: string, parentId: string | null): Promise<void> {
  const seen = new Set<string>();
  for (let at = parentId; at !== null;) {
    if (at === id) throw problem(409, 'category-cycle', `Category ${id} cannot move under ${parentId}: that is itself or one of its descendants`, { categoryId: id, parentId });
    if (seen.has(at)) break;
    seen.add(at);
    const [row] = await tx.select({ parentId: categories.parentId }).from(categories).where(eq(categories.id, at));
    if (!row) throw problem(422, 'unknown-category', `No parent category ${at}`, { parentId: at });
    at = row.parentId;
  }
}

export async function createCategory(tx: Tx, input: { name: string; handle?: string; parentId?: string | null; position?: number }): Promise<CategoryRow> {
  const handle = input.handle ?? handleize(input.name);
  await assertHandle(tx, handle);
  const id = newId();
  await assertNoCycle(tx, id, input.parentId ?? null);
  const [row] = await tx.insert(categories).values({ id, handle, name: input.name, parentId: input.parentId ?? null, position: input.position ?? 0 }).returning();
  await publish(tx, catalogChanged.create(id, { kind: 'category', id, productIds: [] }));
  return row as CategoryRow;
}

/** Rename, move (parentId) or reorder (position); a move into its own subtree is refused. */
export async function updateCategory(tx: Tx, id: string, patch: { name?: string; handle?: string; parentId?: string | null; position?: number }): Promise<CategoryRow> {
  const [current] = await tx.select().from(categories).where(eq(categories.id, id)).for('update');
  if (!current) throw problem(404, 'category-not-found', `No category ${id}`);
  if (patch.handle !== undefined) await assertHandle(tx, patch.handle, id);
  if (patch.parentId !== undefined) await assertNoCycle(tx, id, patch.parentId);
  const [row] = await tx.update(categories).set({ ...patch, updatedAt: new Date().toISOString() }).where(eq(categories.id, id)).returning();
  await publish(tx, catalogChanged.create(id, { kind: 'category', id, productIds: await productsIn(tx, [id]) }));
  return row as CategoryRow;
}

/** Children move up to the deleted category's parent, so no product or subtree is orphaned. */
export async function deleteCategory(tx: Tx, id: string): Promise<void> {
  const [current] = await tx.select().from(categories).where(eq(categories.id, id)).for('update');
  if (!current) throw problem(404, 'category-not-found', `No category ${id}`);
  const affected = await productsIn(tx, [id]);
  await tx.update(categories).set({ parentId: current.parentId }).where(eq(categories.parentId, id));
  await tx.delete(categories).where(eq(categories.id, id));
  await publish(tx, catalogChanged.create(id, { kind: 'category', id, productIds: affected }));
}

async function productsIn(tx: Tx, ids: string[]): Promise<string[]> {
  const rows = await tx.select({ id: productCategories.productId }).from(productCategories).where(inArray(productCategories.categoryId, ids));
  return [...new Set(rows.map((r) => r.id))];
}

/** Every category id under (and including) each of `ids`, for "category X" filters that include subcategories. */
export function descendants(rows: readonly CategoryRow[], id: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const r of rows) if (r.parentId) children.set(r.parentId, [...(children.get(r.parentId) ?? []), r.id]);
  const out = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const at = stack.pop() as string;
    if (out.has(at)) continue;
    out.add(at);
    stack.push(...(children.get(at) ?? []));
  }
  return out;
}

export const countCategories = async (tx: Tx) => (await tx.select({ n: sql<number>`count(*)::int` }).from(categories))[0]?.n ?? 0;
