/**
 * M4 Weekly and Hourly (Makridakis, Spiliotis & Assimakopoulos 2020, IJF 36(1)): reproduces the
 * statistical benchmarks Naive2, SES, Theta and Comb against the official results workbook, then
 * scores CloudMart's automatic forecaster (src/intelligence/forecasting) by OWA against Comb
 * (and Theta on Hourly) and, for information, the competition winner (Smyl's ES-RNN).
 *
 * Protocol: M4's — frequencies m = 1 (Weekly, h = 13) and m = 24 (Hourly, h = 48) for MASE
 * scaling and Naive2's seasonal adjustment; forecasts made from each training series, scored once
 * on the test file. The automatic method's pool and settings were chosen on the training series
 * alone (last h of each held out as validation); it may also try the periods 52 (Weekly, a year)
 * and 168 (Hourly, a week), chosen per series by its own backtest inside the training data.
 */
import { join } from 'node:path';
import { readCsvRows, readCsvRecords } from './lib/data.js';
import { withinRelative, type AccuracyBenchmark, type AccuracyRow } from './lib/types.js';
import { m4BenchmarkForecasts } from '../../src/intelligence/forecasting/m4-benchmarks.js';
import { forecast } from '../../src/intelligence/forecasting/forecast.js';
import { mase, owa, smape } from '../../src/intelligence/forecasting/metrics.js';

interface Frequency {
  name: 'Weekly' | 'Hourly';
  benchmark: string;
  seasonPeriod: number;
  horizon: number;
  extraPeriods: number[];
  /** Published OWA of the winner, Smyl (ID 118). */
  smyl: number;
}

const FREQUENCIES: Frequency[] = [
  { name: 'Weekly', benchmark: 'm4-weekly', seasonPeriod: 1, horizon: 13, extraPeriods: [52], smyl: 0.851 },
  { name: 'Hourly', benchmark: 'm4-hourly', seasonPeriod: 24, horizon: 48, extraPeriods: [168], smyl: 0.44 },
];

const REPRODUCED = [
  { key: 'naive2', label: 'Naive2', published: 'Naive2' },
  { key: 'ses', label: 'SES', published: 'SES' },
  { key: 'theta', label: 'Theta', published: 'Theta' },
  { key: 'comb', label: 'Comb', published: 'Com' },
] as const;

function readSeries(path: string): number[][] {
  return readCsvRows(path).slice(1).map((row) => row.slice(1).filter((cell) => cell !== '').map(Number));
}

const benchmark: AccuracyBenchmark = async (ctx) => {
  const dir = join(ctx.datasetsDir, 'm4');
  const published = readCsvRecords(join(dir, 'm4_point_forecast_accuracy_by_frequency.csv'));
  const figure = (method: string, column: string): number => {
    const row = published.find((r) => r.method === method);
    if (row === undefined) throw new Error(`no published row for ${method}`);
    return Number(row[column]);
  };
  const rows: AccuracyRow[] = [];

  for (const freq of FREQUENCIES) {
    const train = readSeries(join(dir, `${freq.name}-train.csv.gz`));
    const test = readSeries(join(dir, `${freq.name}-test.csv.gz`));
    const count = train.length;
    const totals: Record<string, { smape: number; mase: number }> = {};
    const add = (key: string, insample: number[], actual: number[], f: number[]) => {
      const t = (totals[key] ??= { smape: 0, mase: 0 });
      t.smape += smape(actual, f) / count;
      t.mase += mase(insample, actual, f, freq.seasonPeriod) / count;
    };

    ctx.log(`${freq.name}: M4 benchmarks on ${count} series`);
    for (let i = 0; i < count; i++) {
      const f = m4BenchmarkForecasts(train[i] as number[], freq.seasonPeriod, freq.horizon);
      for (const { key } of REPRODUCED) add(key, train[i] as number[], test[i] as number[], f[key]);
    }

    ctx.log(`${freq.name}: automatic method`);
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    let covered = 0;
    let points = 0;
    for (let i = 0; i < count; i++) {
      const result = forecast(train[i] as number[], { horizon: freq.horizon, seasonPeriod: freq.seasonPeriod, seasonPeriods: freq.extraPeriods, method: 'auto', level: 0.95 });
      add('auto', train[i] as number[], test[i] as number[], result.point);
      (test[i] as number[]).forEach((y, k) => {
        points++;
        if (y >= (result.lower[k] as number) && y <= (result.upper[k] as number)) covered++;
      });
    }
    const seconds = (performance.now() - started) / 1000;
    // CPU time of this process: what the fits cost when other jobs share the two cores.
    const cpu = process.cpuUsage(cpuStarted);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;

    const naive2 = totals.naive2 as { smape: number; mase: number };
    const column = freq.name.toLowerCase();
    for (const { key, label, published: name } of REPRODUCED) {
      const ours = totals[key] as { smape: number; mase: number };
      for (const metric of ['smape', 'mase'] as const) {
        const reference = figure(name, `${metric}_${column}`);
        rows.push({ benchmark: freq.benchmark, metric: `${label} ${metric === 'smape' ? 'sMAPE' : 'MASE'}`, ours: ours[metric], reference, bar: 'within 2% of published', pass: withinRelative(ours[metric], reference, 0.02) });
      }
    }
    const auto = totals.auto as { smape: number; mase: number };
    const autoOwa = owa(auto, naive2);
    rows.push({ benchmark: freq.benchmark, metric: 'auto sMAPE', ours: auto.smape, reference: figure('Com', `smape_${column}`), bar: 'informational (reference: Comb)', pass: auto.smape < figure('Com', `smape_${column}`) });
    rows.push({ benchmark: freq.benchmark, metric: 'auto MASE', ours: auto.mase, reference: figure('Com', `mase_${column}`), bar: 'informational (reference: Comb)', pass: auto.mase < figure('Com', `mase_${column}`) });
    const combOwa = figure('Com', `owa_${column}`);
    rows.push({ benchmark: freq.benchmark, metric: 'auto OWA vs Comb', ours: autoOwa, reference: combOwa, bar: `beats Comb (< ${combOwa})`, pass: autoOwa < combOwa });
    if (freq.name === 'Hourly') {
      const thetaOwa = figure('Theta', `owa_${column}`);
      rows.push({ benchmark: freq.benchmark, metric: 'auto OWA vs Theta', ours: autoOwa, reference: thetaOwa, bar: `beats Theta (< ${thetaOwa})`, pass: autoOwa < thetaOwa });
    }
    rows.push({ benchmark: freq.benchmark, metric: 'auto OWA vs Smyl (M4 winner)', ours: autoOwa, reference: freq.smyl, bar: `informational: < ${freq.smyl} (winner)`, pass: autoOwa < freq.smyl });
    rows.push({ benchmark: freq.benchmark, metric: 'auto 95% interval coverage', ours: covered / points, reference: 0.95, bar: 'informational: nominal 0.95', pass: Math.abs(covered / points - 0.95) <= 0.05 });
    if (freq.name === 'Hourly') {
      rows.push({ benchmark: freq.benchmark, metric: `auto fit+forecast ${count} series, wall clock (s; shared machine)`, ours: seconds, reference: null, bar: 'informational', pass: true });
      rows.push({ benchmark: freq.benchmark, metric: `auto fit+forecast ${count} series, CPU of this process (s)`, ours: cpuSeconds, reference: 60, bar: '< 60 s', pass: cpuSeconds < 60 });
    }
  }
  return rows;
};

export default benchmark;
