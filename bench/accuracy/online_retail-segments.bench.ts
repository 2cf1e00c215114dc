/**
 * `online_retail-segments`: RFM scores and k-means segments on the README's clean subset
 * (CustomerID present, Quantity > 0, UnitPrice > 0: 4,338 customers), reference date the day
 * after the last invoice (2011-12-10). Descriptive: there is no published accuracy figure for
 * this file (Chen et al. 2012 describe clusters only), so the only bar is on the silhouette.
 */
import type { AccuracyBenchmark, AccuracyRow } from './lib/types.js';
import { cleanSubset, loadOnlineRetail } from './lib/online-retail.js';
import { fitCustomerSegments, rfmScores, segmentFor, type CustomerSummary, type SegmentName } from '../../src/intelligence/segmentation/index.js';

const BENCHMARK = 'online_retail-segments';
const REFERENCE_DATE = Date.UTC(2011, 11, 10);

const bench: AccuracyBenchmark = async (ctx) => {
  const rows = cleanSubset(loadOnlineRetail(ctx.datasetsDir));
  const byCustomer = new Map<string, { invoices: Set<string>; first: number; last: number; revenue: number }>();
  for (const r of rows) {
    const t = r.invoiceDate.getTime();
    let c = byCustomer.get(r.customerId!);
    if (!c) byCustomer.set(r.customerId!, (c = { invoices: new Set(), first: t, last: t, revenue: 0 }));
    c.invoices.add(r.invoiceNo);
    c.first = Math.min(c.first, t);
    c.last = Math.max(c.last, t);
    c.revenue += r.quantity * r.unitPrice;
  }
  const customers: CustomerSummary[] = [...byCustomer].map(([customerId, c]) => ({
    customerId, firstOrderAt: c.first, lastOrderAt: c.last, orders: c.invoices.size, revenue: c.revenue,
  }));
  ctx.log(`${rows.length} clean rows, ${customers.length} customers`);

  const started = performance.now();
  const model = fitCustomerSegments(customers, REFERENCE_DATE, { kRange: [2, 3, 4, 5, 6, 7, 8], seed: 2011 });
  const seconds = (performance.now() - started) / 1000;
  const chosen = model.silhouetteByK.find((s) => s.k === model.kmeans.k)!;
  for (const s of model.silhouetteByK) ctx.log(`k=${s.k} silhouette ${s.silhouette.toFixed(4)}${s.exact ? ' (exact)' : ' (sampled)'}`);

  const row = (metric: string, ours: number, bar: string, pass: boolean): AccuracyRow => ({ benchmark: BENCHMARK, metric, ours, reference: null, bar, pass });
  const out: AccuracyRow[] = [
    row('customers (clean subset)', customers.length, 'descriptive (README: 4,338)', customers.length === 4338),
    row('k chosen by silhouette (2…8)', model.kmeans.k, 'descriptive', true),
    row(`mean silhouette at k=${model.kmeans.k} (${chosen.exact ? 'exact, all customers' : 'seeded sample'})`, chosen.silhouette, '> 0.25', chosen.silhouette > 0.25),
  ];
  for (const s of model.silhouetteByK) if (s.k !== model.kmeans.k) out.push(row(`silhouette at k=${s.k}`, s.silhouette, 'descriptive', true));
  for (const p of model.profiles.slice().sort((a, b) => b.size - a.size)) {
    out.push(row(
      `cluster ${p.cluster} "${p.name}" size (median ${Math.round(p.medianRecencyDays)} d, ${p.medianOrders} orders, £${Math.round(p.medianRevenue)})`,
      p.size, 'descriptive', true,
    ));
  }
  const counts = new Map<SegmentName, number>();
  for (const s of rfmScores(customers, REFERENCE_DATE)) {
    const name = segmentFor(s.recency, s.frequency, s.monetary);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  for (const [name, n] of [...counts].sort((a, b) => b[1] - a[1])) out.push(row(`RFM-grid segment "${name}" size`, n, 'descriptive', true));
  out.push(row('segmentation fit time, s (7 k values, exact silhouette; shared machine)', seconds, 'descriptive', true));
  return out;
};

export default bench;
