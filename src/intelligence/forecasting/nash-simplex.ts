/**
 * The Nelder–Mead variant of Nash (1990), "Compact Numerical Methods for Computers", 2nd ed.,
 * Algorithm 19 — the one behind R's `optim(method = "Nelder-Mead")` and the `etsNelderMead` call
 * of R's forecast package (v8.2), which produced the published M4 benchmark figures.
 *
 * It exists only so that the M4 reproduction makes the same optimisation choices as R: an initial
 * simplex of one absolute step, 10 % of the largest |parameter|, on every coordinate (so with
 * unscaled series the smoothing parameters start far outside their bounds and the simplex must
 * first collapse), a relative stopping rule on the values, and a budget in function evaluations.
 * Everything else in CloudMart uses optimize/nelder-mead.ts on scaled data, which fits better.
 */
const BIG = 1e35;

export interface NashSimplexOptions {
  /** Function-evaluation budget (R's `maxit`, 2000 in forecast::ets). */
  maxEvaluations?: number;
  /** Relative tolerance on values (R's `reltol`, √ε by default). */
  relativeTolerance?: number;
}

export function nashSimplex(objective: (x: readonly number[]) => number, start: readonly number[], options: NashSimplexOptions = {}): { x: number[]; value: number } {
  const n = start.length;
  const maxEvaluations = options.maxEvaluations ?? 2000;
  const relativeTolerance = options.relativeTolerance ?? Math.sqrt(Number.EPSILON);
  const f = (x: number[]): number => {
    const v = objective(x);
    return Number.isFinite(v) ? v : BIG;
  };
  const vertices: number[][] = [start.slice()];
  const values: number[] = [f(start.slice())];
  if (values[0] === BIG) return { x: start.slice(), value: Number.POSITIVE_INFINITY };
  let evaluations = 1;
  const tolerance = relativeTolerance * (Math.abs(values[0] as number) + relativeTolerance);
  let step = 0;
  for (const v of start) step = Math.max(step, 0.1 * Math.abs(v));
  if (step === 0) step = 0.1;
  let size = 0;
  for (let j = 0; j < n; j++) {
    const vertex = start.slice();
    let tryStep = step;
    while (vertex[j] === start[j]) {
      vertex[j] = (start[j] as number) + tryStep;
      tryStep *= 10;
    }
    size += tryStep;
    vertices.push(vertex);
    values.push(Number.NaN);
  }
  let oldSize = size;
  let best = 0;
  let recompute = true;
  const centroid = new Array<number>(n).fill(0);
  while (evaluations <= maxEvaluations) {
    if (recompute) {
      for (let j = 0; j <= n; j++) {
        if (j === best) continue;
        values[j] = f(vertices[j] as number[]);
        evaluations++;
      }
      recompute = false;
    }
    let low = values[best] as number;
    let high = low;
    let worst = best;
    for (let j = 0; j <= n; j++) {
      if (j === best) continue;
      const v = values[j] as number;
      if (v < low) { best = j; low = v; }
      if (v > high) { worst = j; high = v; }
    }
    if (high <= low + tolerance) break;

    const worstVertex = vertices[worst] as number[];
    for (let i = 0; i < n; i++) {
      let sum = -(worstVertex[i] as number);
      for (let j = 0; j <= n; j++) sum += (vertices[j] as number[])[i] as number;
      centroid[i] = sum / n;
    }
    const reflected = centroid.map((c, i) => 2 * c - (worstVertex[i] as number));
    const reflectedValue = f(reflected);
    evaluations++;
    if (reflectedValue < low) {
      const expanded = reflected.map((r, i) => 2 * r - (centroid[i] as number));
      const expandedValue = f(expanded);
      evaluations++;
      if (expandedValue < reflectedValue) { vertices[worst] = expanded; values[worst] = expandedValue; }
      else { vertices[worst] = reflected; values[worst] = reflectedValue; }
      continue;
    }
    if (reflectedValue < high) { vertices[worst] = reflected; values[worst] = reflectedValue; }
    const current = vertices[worst] as number[];
    const contracted = current.map((v, i) => 0.5 * v + 0.5 * (centroid[i] as number));
    const contractedValue = f(contracted);
    evaluations++;
    if (contractedValue < (values[worst] as number)) {
      vertices[worst] = contracted;
      values[worst] = contractedValue;
    } else if (reflectedValue >= high) {
      recompute = true;
      size = 0;
      const anchor = vertices[best] as number[];
      for (let j = 0; j <= n; j++) {
        if (j === best) continue;
        const v = vertices[j] as number[];
        for (let i = 0; i < n; i++) {
          v[i] = 0.5 * ((v[i] as number) - (anchor[i] as number)) + (anchor[i] as number);
          size += Math.abs((v[i] as number) - (anchor[i] as number));
        }
      }
      if (size >= oldSize) break;
      oldSize = size;
    }
  }
  return { x: (vertices[best] as number[]).slice(), value: values[best] as number };
}
