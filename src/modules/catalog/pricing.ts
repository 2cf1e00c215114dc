/**
 * The one answer to "what does variant V cost for this currency, region and customer group
 * now". Pure: the caller hands in the variant's price rows and the lists they belong to.
 *
 * Rules (the same as the big platforms' "best price wins", made explicit):
 * - only rows in the asked currency count; a list applies when its dates contain `now`
 *   (start inclusive, end exclusive) and its region / customer group is unset or matches;
 * - an applicable `override` list replaces the base price (the cheapest override if several);
 * - otherwise the cheapest of the base price and applicable `sale` lists wins;
 * - compare-at is the row's own compare-at, else the base price when a list made it cheaper.
 */
export interface PriceRow {
  currency: string;
  amount: number;
  compareAt: number | null;
  priceListId: string | null;
}

export interface PriceListRule {
  id: string;
  kind: 'sale' | 'override';
  customerGroup: string | null;
  region: string | null;
  /** Epoch milliseconds; null for open-ended. */
  startsAt: number | null;
  endsAt: number | null;
}

export interface PriceContext {
  currency: string;
  region?: string | null;
  customerGroup?: string | null;
  /** Epoch milliseconds. */
  now: number;
}

export interface ResolvedPrice {
  amount: number;
  currency: string;
  compareAt: number | null;
  priceListId: string | null;
}

export function listApplies(list: PriceListRule, context: PriceContext): boolean {
  if (list.startsAt !== null && context.now < list.startsAt) return false;
  if (list.endsAt !== null && context.now >= list.endsAt) return false;
  if (list.region !== null && list.region !== (context.region ?? null)) return false;
  if (list.customerGroup !== null && list.customerGroup !== (context.customerGroup ?? null)) return false;
  return true;
}

const cheaper = (a: PriceRow, b: PriceRow | null): boolean =>
  b === null || a.amount < b.amount || (a.amount === b.amount && (a.priceListId ?? '') < (b.priceListId ?? ''));

export function resolvePrice(rows: readonly PriceRow[], lists: ReadonlyMap<string, PriceListRule>, context: PriceContext): ResolvedPrice | null {
  let base: PriceRow | null = null;
  let sale: PriceRow | null = null;
  let override: PriceRow | null = null;
  for (const row of rows) {
    if (row.currency !== context.currency) continue;
    if (row.priceListId === null) {
      base = row;
      continue;
    }
    const list = lists.get(row.priceListId);
    if (!list || !listApplies(list, context)) continue;
    if (list.kind === 'override') {
      if (cheaper(row, override)) override = row;
    } else if (cheaper(row, sale)) sale = row;
  }
  const chosen = override ?? (sale && (base === null || sale.amount < base.amount) ? sale : base);
  if (!chosen) return null;
  const compareAt = chosen.compareAt ?? (chosen !== base && base && base.amount > chosen.amount ? base.amount : null);
  return { amount: chosen.amount, currency: context.currency, compareAt, priceListId: chosen.priceListId };
}

/** The next instant after `now` when some list starts or ends: a cached price is good until then. */
export function nextPriceChange(lists: Iterable<PriceListRule>, now: number): number {
  let next = Number.POSITIVE_INFINITY;
  for (const l of lists) {
    if (l.startsAt !== null && l.startsAt > now && l.startsAt < next) next = l.startsAt;
    if (l.endsAt !== null && l.endsAt > now && l.endsAt < next) next = l.endsAt;
  }
  return next;
}
