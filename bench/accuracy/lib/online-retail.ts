/**
 * Loader for the UCI "Online Retail" file (Chen, Sain & Guo 2012), as shipped in
 * `../shared/datasets/online_retail/online_retail.csv.gz`; see that folder's README for the
 * reference statistics, the "clean" subset and the OR-NOV2011 recommendation protocol.
 *
 * The file has 541,909 rows, so it is parsed with a hand-written CSV scanner (about 5× faster
 * than csv-parse here) and cached per path in module scope: every benchmark and test that asks
 * for it in one process pays the parse once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readDatasetText } from './data.js';

export interface OnlineRetailRow {
  /** Six digits, or `C` + six digits for a cancellation. */
  invoiceNo: string;
  stockCode: string;
  description: string;
  /** Negative on cancellations and stock adjustments. */
  quantity: number;
  /** The file's local shop time read as UTC (the file carries no zone; the shop is in the UK). */
  invoiceDate: Date;
  /** GBP as written in the file (a few rows carry fractions of a penny, e.g. 0.001). */
  unitPrice: number;
  /** Unit price in pence, rounded to the nearest penny. */
  unitPriceMinor: number;
  /** `null` when the file leaves CustomerID blank (135,080 rows). */
  customerId: string | null;
  country: string;
}

/** Path of the dataset file under a datasets directory. */
export function onlineRetailPath(datasetsDir: string): string {
  return join(datasetsDir, 'online_retail', 'online_retail.csv.gz');
}

/** True when the dataset file is present (tests skip otherwise). */
export function onlineRetailAvailable(datasetsDir: string): boolean {
  return existsSync(onlineRetailPath(datasetsDir));
}

const cache = new Map<string, readonly OnlineRetailRow[]>();

/** Every row of the file, in file order (daily files concatenated by date). Parsed once per path. */
export function loadOnlineRetail(datasetsDir: string): readonly OnlineRetailRow[] {
  const path = onlineRetailPath(datasetsDir);
  const cached = cache.get(path);
  if (cached) return cached;
  const rows = parseOnlineRetailCsv(readDatasetText(path));
  cache.set(path, rows);
  return rows;
}

/** Parses the CSV text (header line first). Exported for tests on small hand-made inputs. */
export function parseOnlineRetailCsv(text: string): OnlineRetailRow[] {
  const rows: OnlineRetailRow[] = [];
  const dates = new Map<string, Date>(); // ~23k distinct timestamps: share the Date objects
  const cells: string[] = [];
  let pos = text.indexOf('\n') + 1; // skip the header
  const n = text.length;
  while (pos < n) {
    cells.length = 0;
    // One record: comma-separated cells, RFC 4180 quoting ("" inside quotes is a quote).
    for (;;) {
      let cell: string;
      if (text.charCodeAt(pos) === 34 /* " */) {
        let out = '';
        let start = pos + 1;
        for (;;) {
          const q = text.indexOf('"', start);
          if (q < 0) throw new Error(`unterminated quote at offset ${pos}`);
          out += text.slice(start, q);
          if (text.charCodeAt(q + 1) === 34) {
            out += '"';
            start = q + 2;
          } else {
            pos = q + 1;
            break;
          }
        }
        cell = out;
      } else {
        let end = pos;
        while (end < n) {
          const c = text.charCodeAt(end);
          if (c === 44 /* , */ || c === 10 /* \n */ || c === 13) break;
          end++;
        }
        cell = text.slice(pos, end);
        pos = end;
      }
      cells.push(cell);
      const c = text.charCodeAt(pos);
      if (c === 44) {
        pos++;
        continue;
      }
      if (c === 13) pos++;
      if (text.charCodeAt(pos) === 10) pos++;
      break;
    }
    if (cells.length === 1 && cells[0] === '') continue; // blank line
    if (cells.length !== 8) throw new Error(`expected 8 cells, got ${cells.length}: ${cells.join(',')}`);
    const [invoiceNo, stockCode, description, quantity, dateText, unitPrice, customerId, country] = cells as [
      string, string, string, string, string, string, string, string,
    ];
    let invoiceDate = dates.get(dateText);
    if (!invoiceDate) {
      invoiceDate = parseShopTimestamp(dateText);
      dates.set(dateText, invoiceDate);
    }
    const price = Number(unitPrice);
    rows.push({
      invoiceNo,
      stockCode,
      description,
      quantity: Number(quantity),
      invoiceDate,
      unitPrice: price,
      unitPriceMinor: Math.round(price * 100),
      customerId: customerId === '' ? null : customerId,
      country,
    });
  }
  return rows;
}

/** `YYYY-MM-DD HH:MM:SS` as a UTC instant. */
function parseShopTimestamp(text: string): Date {
  const ms = Date.UTC(
    Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)),
    Number(text.slice(11, 13)), Number(text.slice(14, 16)), Number(text.slice(17, 19) || '0'),
  );
  if (Number.isNaN(ms)) throw new Error(`bad InvoiceDate ${text}`);
  return new Date(ms);
}

/** Line revenue in pence, rounded once per line (Quantity × UnitPrice). */
export function lineRevenueMinor(row: OnlineRetailRow): number {
  return Math.round(row.quantity * row.unitPrice * 100);
}

export const isCancellation = (row: OnlineRetailRow): boolean => row.invoiceNo.startsWith('C');

/** README "clean" subset: CustomerID present, Quantity > 0, UnitPrice > 0 (397,884 rows). */
export function isCleanSale(row: OnlineRetailRow): boolean {
  return row.customerId !== null && row.quantity > 0 && row.unitPrice > 0;
}

export function cleanSubset(rows: readonly OnlineRetailRow[]): OnlineRetailRow[] {
  return rows.filter(isCleanSale);
}

const productCode = /^\d{5}/;

/**
 * OR-NOV2011 step 1: clean, not a cancellation, and a real product (StockCode starts with five
 * digits, which drops POST, DOT, M, BANK CHARGES, AMAZONFEE…) — 396,337 rows.
 */
export function isOrNov2011Row(row: OnlineRetailRow): boolean {
  return isCleanSale(row) && !isCancellation(row) && productCode.test(row.stockCode);
}

/** OR-NOV2011 train/test boundary: train is strictly before this instant. */
export const OR_NOV2011_TEST_START = new Date(Date.UTC(2011, 10, 1));

export interface OrNov2011Split {
  /** Step-1 rows with InvoiceDate < 2011-11-01. */
  train: OnlineRetailRow[];
  /** Step-1 rows from 2011-11-01 to the end of the file (2011-12-09). */
  test: OnlineRetailRow[];
}

/** OR-NOV2011 steps 1–2 (row level; interactions, test users and cold items are the caller's). */
export function orNov2011Split(rows: readonly OnlineRetailRow[], testStart: Date = OR_NOV2011_TEST_START): OrNov2011Split {
  const train: OnlineRetailRow[] = [];
  const test: OnlineRetailRow[] = [];
  const cut = testStart.getTime();
  for (const row of rows) {
    if (!isOrNov2011Row(row)) continue;
    (row.invoiceDate.getTime() < cut ? train : test).push(row);
  }
  return { train, test };
}
