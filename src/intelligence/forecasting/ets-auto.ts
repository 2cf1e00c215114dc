/**
 * Automatic ETS: fit every admissible model of the taxonomy and keep the one with the smallest
 * AICc, Hyndman, Koehler, Snyder & Grose (2002), IJF 18(3), §3–4, and Hyndman & Khandakar (2008),
 * JSS 27(3), §2.4. As R's `ets` with its defaults: no multiplicative trend; the numerically
 * unstable ETS(A,·,M) are excluded; multiplicative error or season only for positive data;
 * seasonal models only with m > 1 and at least three seasons.
 */
import { fitEts, type EtsModel } from './ets-fit.js';
import { specName, type EtsSpec, type SeasonType, type TrendType } from './ets.js';

export interface AutoEtsOptions {
  seasonPeriod?: number;
  /** Restrict the candidates, e.g. to seasonal ones. */
  seasons?: readonly SeasonType[];
  trends?: readonly TrendType[];
}

export interface AutoEtsResult {
  model: EtsModel;
  /** AICc of every candidate that could be fitted, best first: the explanation of the choice. */
  candidates: { name: string; aicc: number }[];
}

export function candidateEtsSpecs(series: ArrayLike<number>, options: AutoEtsOptions = {}): EtsSpec[] {
  const m = options.seasonPeriod ?? 1;
  let positive = true;
  for (let t = 0; t < series.length; t++) if (!((series[t] as number) > 0)) positive = false;
  const seasonalOk = m > 1 && series.length >= 3 * m;
  const seasons = (options.seasons ?? ['N', 'A', 'M']).filter((s) => s === 'N' || (seasonalOk && (s === 'A' || positive)));
  const trends = options.trends ?? ['N', 'A', 'Ad'];
  const specs: EtsSpec[] = [];
  for (const error of positive ? (['A', 'M'] as const) : (['A'] as const)) {
    for (const trend of trends) {
      for (const season of seasons) {
        if (error === 'A' && season === 'M') continue;
        specs.push({ error, trend, season });
      }
    }
  }
  return specs;
}

export function fitAutoEts(series: readonly number[] | Float64Array, options: AutoEtsOptions = {}): AutoEtsResult {
  const fits: EtsModel[] = [];
  for (const spec of candidateEtsSpecs(series, options)) {
    try {
      fits.push(fitEts(series, spec, { seasonPeriod: options.seasonPeriod ?? 1, criterion: 'likelihood' }));
    } catch {
      // A model that cannot be fitted (e.g. too short for its parameters) is simply not a candidate.
    }
  }
  const ranked = fits.filter((f) => Number.isFinite(f.aicc)).sort((a, b) => a.aicc - b.aicc);
  const best = ranked[0];
  if (best === undefined) throw new RangeError('no ETS model could be fitted to this series');
  return { model: best, candidates: ranked.map((f) => ({ name: specName(f.spec), aicc: f.aicc })) };
}
