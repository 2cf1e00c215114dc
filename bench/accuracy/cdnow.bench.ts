/**
 * CDNOW (Fader, Hardie & Lee 2005): BG/NBD, Pareto/NBD and Gamma-Gamma fitted by our maximum
 * likelihood on Hardie's 2,357-customer calibration summary, compared with the published
 * estimates and derived figures listed in ../shared/datasets/cdnow/README.md; then the whole
 * 23,570-customer master file summarised by our summariser (calibration 1997-01-01..1997-09-30,
 * weeks) and fitted, timed.
 *
 * Every reproduced value is computed from OUR fitted parameters, not the published ones.
 * "3 s.f." means within half a unit of the third significant digit of the published figure.
 * The CLV figures are lifetimes' Quickstart: 12 "months" at 1 % per month, where lifetimes
 * (freq='D') takes a month as 30 time units although CDNOW's unit is the week; we pass that
 * period length explicitly to reproduce them.
 */
import { join } from 'node:path';
import { readCsvRecords, readCsvRows } from './lib/data.js';
import { type AccuracyBenchmark, type AccuracyRow, withinRelative } from './lib/types.js';
import {
  bgNbdExpectedPurchases,
  bgNbdExpectedPurchasesNewCustomer,
  customerLifetimeValue,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  gammaGammaExpectedSpend,
  paretoNbdExpectedPurchases,
  spendFrequencyCorrelation,
  summariseTransactions,
} from '../../src/intelligence/clv/index.js';

const benchmark = 'cdnow';

function withinHalfUnitOfThirdFigure(ours: number, published: number): boolean {
  const unit = 10 ** (Math.floor(Math.log10(Math.abs(published))) - 2);
  return Math.abs(ours - published) <= unit / 2 + 1e-12;
}

function parameterRow(metric: string, ours: number, published: number): AccuracyRow {
  return { benchmark, metric, ours, reference: published, bar: 'within 1%', pass: withinRelative(ours, published, 0.01) };
}

/**
 * 0.0078 (E[X(1/7)]) is published to 4 decimals, i.e. 2 s.f.: it can only be matched to the
 * precision it is given in, which the bar then says.
 */
function valueRow(metric: string, ours: number, published: number, publishedDecimals?: number): AccuracyRow {
  if (publishedDecimals !== undefined && 10 ** -publishedDecimals > 10 ** (Math.floor(Math.log10(Math.abs(published))) - 2)) {
    const pass = Math.abs(ours - published) <= 10 ** -publishedDecimals / 2 + 1e-12;
    return { benchmark, metric, ours, reference: published, bar: `${publishedDecimals} d.p. as published`, pass };
  }
  return { benchmark, metric, ours, reference: published, bar: '3 s.f.', pass: withinHalfUnitOfThirdFigure(ours, published) };
}

/** YYYYMMDD → days since 1970-01-01. */
function epochDay(yyyymmdd: string): number {
  return Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) / 86_400_000;
}

const calibrationEnd = epochDay('19970930');
const holdoutEnd = epochDay('19980630'); // weeks 40–78: 39 weeks

const cdnow: AccuracyBenchmark = async (ctx) => {
  const dir = join(ctx.datasetsDir, 'cdnow');
  const rows: AccuracyRow[] = [];
  const summary = readCsvRecords(join(dir, 'cdnow_customers_summary_with_monetary.csv')).map((r) => ({
    id: Number(r.ID),
    frequency: Number(r.x),
    recency: Number(r.t_x),
    T: Number(r.T),
    monetary: Number(r.zbar),
  }));

  // Our summariser on the raw 1/10 sample must give Hardie's summary (to its 2 decimals).
  const sample = readCsvRows(join(dir, 'cdnow_sample.csv'))
    .slice(1)
    .map((r) => ({ customerId: Number(r[1]), at: epochDay(r[2] as string), amount: Number(r[4]) }));
  const ourSummary = new Map(summariseTransactions(sample, { calibrationEnd }).map((s) => [s.customerId, s]));
  const mismatches = summary.filter((h) => {
    const s = ourSummary.get(h.id);
    const close = (a: number, b: number): boolean => Math.abs(a - b) <= 0.005 + 1e-9;
    return !s || s.frequency !== h.frequency || !close(s.recency, h.recency) || !close(s.T, h.T) || !close(s.monetary, h.monetary);
  }).length;
  rows.push({ benchmark, metric: 'summariser vs Hardie summary: customers differing', ours: mismatches, reference: 0, bar: '= 0', pass: mismatches === 0 });

  ctx.log('BG/NBD on the 2,357-customer summary');
  const bg = fitBgNbd(summary);
  rows.push(
    parameterRow('BG/NBD r', bg.r, 0.243),
    parameterRow('BG/NBD alpha', bg.alpha, 4.414),
    parameterRow('BG/NBD a', bg.a, 0.793),
    parameterRow('BG/NBD b', bg.b, 2.426),
    valueRow('BG/NBD log-likelihood', bg.logLikelihood, -9582.4),
    valueRow('BG/NBD E[Y(39)] x=2 t_x=30.43 T=38.86', bgNbdExpectedPurchases(bg, { frequency: 2, recency: 30.43, T: 38.86 }, 39), 1.226),
  );
  const unconditional: [number, number][] = [[0.1429, 0.0078], [1, 0.0532], [3, 0.1506], [31.8571, 1.0405], [32, 1.0437], [78, 1.8576]];
  for (const [t, published] of unconditional) rows.push(valueRow(`BG/NBD E[X(${t})]`, bgNbdExpectedPurchasesNewCustomer(bg, t), published, 4));

  ctx.log('Pareto/NBD');
  const pareto = fitParetoNbd(summary);
  rows.push(
    parameterRow('Pareto/NBD r', pareto.r, 0.553),
    parameterRow('Pareto/NBD alpha', pareto.alpha, 10.578),
    parameterRow('Pareto/NBD s', pareto.s, 0.606),
    parameterRow('Pareto/NBD beta', pareto.beta, 11.669),
    valueRow('Pareto/NBD E[Y(52)] x=26 t_x=30.86 T=31', paretoNbdExpectedPurchases(pareto, { frequency: 26, recency: 30.86, T: 31 }, 52), 25.46),
  );

  ctx.log('Gamma-Gamma and CLV');
  const gg = fitGammaGamma(summary);
  rows.push(parameterRow('Gamma-Gamma p', gg.p, 6.25), parameterRow('Gamma-Gamma q', gg.q, 3.74), parameterRow('Gamma-Gamma gamma', gg.gamma, 15.44));
  const publishedSpend = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
  publishedSpend.forEach((published, i) => rows.push(valueRow(`Gamma-Gamma E[Z] customer ${i + 1}`, gammaGammaExpectedSpend(gg, summary[i] as (typeof summary)[number]), published)));
  const meanSpend = summary.reduce((sum, c) => sum + gammaGammaExpectedSpend(gg, c), 0) / summary.length;
  rows.push(valueRow('Gamma-Gamma mean E[Z] over 2,357', meanSpend, 35.253));
  rows.push(valueRow('corr(frequency, zbar), returning customers', spendFrequencyCorrelation(summary), 0.113884));
  const publishedClv = [140.1, 18.94, 38.18, 38.18, 38.18, 1003.87, 28.11, 38.18, 167.42, 38.18];
  const clvOptions = { periods: 12, periodLength: 30, discountRatePerPeriod: 0.01 };
  publishedClv.forEach((published, i) =>
    rows.push(valueRow(`CLV (BG/NBD+GG, 12x30, 1%) customer ${i + 1}`, customerLifetimeValue(bg, gg, summary[i] as (typeof summary)[number], clvOptions), published)),
  );

  ctx.log('master file: summarise 69,659 transactions and fit all three models');
  const master = readCsvRows(join(dir, 'cdnow_master.csv'))
    .slice(1)
    .map((r) => ({ customerId: Number(r[0]), at: epochDay(r[1] as string), amount: Number(r[3]) }));
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const masterSummary = summariseTransactions(master, { calibrationEnd, holdoutEnd });
  const summarised = performance.now();
  const masterBg = fitBgNbd(masterSummary);
  const bgDone = performance.now();
  const masterPareto = fitParetoNbd(masterSummary);
  const paretoDone = performance.now();
  fitGammaGamma(masterSummary);
  const finished = performance.now();
  const cpuSeconds = process.cpuUsage(cpuBefore).user / 1e6;
  ctx.log(`master BG/NBD r=${masterBg.r.toFixed(4)} alpha=${masterBg.alpha.toFixed(4)} a=${masterBg.a.toFixed(4)} b=${masterBg.b.toFixed(4)}`);
  ctx.log(`master Pareto/NBD r=${masterPareto.r.toFixed(4)} alpha=${masterPareto.alpha.toFixed(4)} s=${masterPareto.s.toFixed(4)} beta=${masterPareto.beta.toFixed(4)}`);
  const seconds = (ms: number): number => Math.round(ms) / 1000;
  // Held-out check (no published figure for the master file): repeat transactions in weeks
  // 40–78 predicted from calibration data alone vs those observed.
  const actualHoldout = masterSummary.reduce((sum, c) => sum + (c.holdoutFrequency ?? 0), 0);
  const predictedBg = masterSummary.reduce((sum, c) => sum + bgNbdExpectedPurchases(masterBg, c, 39), 0);
  const predictedPareto = masterSummary.reduce((sum, c) => sum + paretoNbdExpectedPurchases(masterPareto, c, 39), 0);
  rows.push(
    { benchmark, metric: 'master holdout wk 40-78: repeat transactions, BG/NBD predicted', ours: Math.round(predictedBg), reference: actualHoldout, bar: 'info (vs actual)', pass: true },
    { benchmark, metric: 'master holdout wk 40-78: repeat transactions, Pareto/NBD predicted', ours: Math.round(predictedPareto), reference: actualHoldout, bar: 'info (vs actual)', pass: true },
  );
  rows.push(
    { benchmark, metric: 'master: customers summarised', ours: masterSummary.length, reference: 23_570, bar: '= 23,570', pass: masterSummary.length === 23_570 },
    { benchmark, metric: 'master: summarise (s)', ours: seconds(summarised - started), reference: null, bar: 'info', pass: true },
    { benchmark, metric: 'master: fit BG/NBD (s)', ours: seconds(bgDone - summarised), reference: null, bar: 'info', pass: true },
    { benchmark, metric: 'master: fit Pareto/NBD (s)', ours: seconds(paretoDone - bgDone), reference: null, bar: 'info', pass: true },
    { benchmark, metric: 'master: fit Gamma-Gamma (s)', ours: seconds(finished - paretoDone), reference: null, bar: 'info', pass: true },
    { benchmark, metric: 'master: summarise + fit all three (s)', ours: seconds(finished - started), reference: null, bar: '< 5 s', pass: finished - started < 5000 },
    // Wall time above is inflated when other processes share the cores; CPU time is not.
    { benchmark, metric: 'master: same, CPU time of this process (s)', ours: Math.round(cpuSeconds * 1000) / 1000, reference: null, bar: 'info', pass: true },
  );
  return rows;
};

export default cdnow;
