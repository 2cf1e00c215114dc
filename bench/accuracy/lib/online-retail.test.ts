import { test, expect } from 'vitest';
import { datasetsDir } from './data.js';
import {
  cleanSubset, isCancellation, lineRevenueMinor, loadOnlineRetail, onlineRetailAvailable, orNov2011Split,
  parseOnlineRetailCsv,
} from './online-retail.js';

test('parses quoted cells, blank customer ids and timestamps as UTC', () => {
  const rows = parseOnlineRetailCsv([
    'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
    '536381,82567,"AIRLINE LOUNGE,METAL SIGN",2,2010-12-01 09:41:00,2.1,15311,United Kingdom',
    'C536383,35004C,"RECORD FRAME 7"" SINGLE SIZE ",-1,2010-12-01 09:49:00,4.65,,EIRE',
    '',
  ].join('\n'));
  expect(rows).toHaveLength(2);
  expect(rows[0]).toMatchObject({ description: 'AIRLINE LOUNGE,METAL SIGN', quantity: 2, unitPrice: 2.1, unitPriceMinor: 210, customerId: '15311' });
  expect(rows[0]?.invoiceDate.toISOString()).toBe('2010-12-01T09:41:00.000Z');
  expect(rows[1]).toMatchObject({ description: 'RECORD FRAME 7" SINGLE SIZE ', quantity: -1, customerId: null, country: 'EIRE' });
  expect(isCancellation(rows[1]!)).toBe(true);
});

const dir = datasetsDir();
const available = onlineRetailAvailable(dir);
if (!available) console.warn(`online_retail dataset not found under ${dir}; set DATASETS_DIR to run the reference-statistics test`);

test.skipIf(!available)('reproduces the README reference statistics and the OR-NOV2011 counts', () => {
  const rows = loadOnlineRetail(dir);
  expect(rows).toHaveLength(541_909);
  expect(loadOnlineRetail(dir)).toBe(rows); // parsed once
  expect(new Set(rows.map((r) => r.invoiceNo)).size).toBe(25_900);
  expect(new Set(rows.map((r) => r.stockCode)).size).toBe(4_070);
  expect(new Set(rows.map((r) => r.country)).size).toBe(38);
  expect(new Set(rows.map((r) => r.customerId).filter((c) => c !== null)).size).toBe(4_372);
  expect(rows.filter((r) => r.customerId === null)).toHaveLength(135_080);
  const cancelled = rows.filter(isCancellation);
  expect(cancelled).toHaveLength(9_288);
  expect(new Set(cancelled.map((r) => r.invoiceNo)).size).toBe(3_836);
  expect(rows.filter((r) => r.quantity <= 0)).toHaveLength(10_624);
  expect(rows.filter((r) => r.unitPrice <= 0)).toHaveLength(2_517);
  expect(rows.reduce((s, r) => s + r.quantity * r.unitPrice, 0)).toBeCloseTo(9_747_747.93, 1);
  const seen = new Set<string>();
  let duplicates = 0;
  for (const r of rows) {
    const key = [r.invoiceNo, r.stockCode, r.description, r.quantity, r.invoiceDate.getTime(), r.unitPrice, r.customerId, r.country].join('\u0001');
    if (seen.has(key)) duplicates++;
    else seen.add(key);
  }
  expect(duplicates).toBe(5_268);

  const clean = cleanSubset(rows);
  expect(clean).toHaveLength(397_884);
  expect(new Set(clean.map((r) => r.customerId)).size).toBe(4_338);
  expect(new Set(clean.map((r) => r.invoiceNo)).size).toBe(18_532);
  expect(clean.reduce((s, r) => s + r.quantity * r.unitPrice, 0)).toBeCloseTo(8_911_407.90, 1);
  expect(Math.abs(clean.reduce((s, r) => s + lineRevenueMinor(r), 0) - 891_140_790)).toBeLessThan(100);
  const uk = clean.filter((r) => r.country === 'United Kingdom');
  expect(uk).toHaveLength(354_321);
  expect(new Set(uk.map((r) => r.customerId)).size).toBe(3_920);

  const { train, test: testRows } = orNov2011Split(rows);
  expect(train.length + testRows.length).toBe(396_337);
  const trainUsers = new Set(train.map((r) => r.customerId));
  const trainItems = new Set(train.map((r) => r.stockCode));
  expect(trainUsers.size).toBe(3_970);
  expect(trainItems.size).toBe(3_607);
  expect(new Set(train.map((r) => `${r.customerId}|${r.stockCode}`)).size).toBe(220_880);
  const testUsers = new Set(testRows.filter((r) => trainUsers.has(r.customerId) && trainItems.has(r.stockCode)).map((r) => r.customerId));
  expect(testUsers.size).toBe(1_538);
  expect(testRows.at(-1)?.invoiceDate.toISOString().slice(0, 10)).toBe('2011-12-09');
});
