/**
 * Derivative-free minimisation by the Nelder–Mead simplex, with the standard coefficients
 * (reflection 1, expansion 2, contraction ½, shrink ½). Nelder & Mead (1965), Computer
 * Journal 7(4); termination as in Lagarias et al. (1998), SIAM J. Optim. 9(1), on both the
 * spread of values and the size of the simplex.
 *
 * Used for likelihoods and smoothing parameters, where the objective is cheap and has few
 * parameters. Constrain parameters by transforming them (exp, logistic), not by clipping.
 */
export interface NelderMeadOptions {
  maxIterations?: number;
  /** Stop when values and vertices differ by less than this. */
  tolerance?: number;
  /** Initial step per coordinate (absolute, or 5 % of a non-zero start). */
  initialStep?: number;
}

export interface Minimum {
  x: number[];
  value: number;
  iterations: number;
  converged: boolean;
}

export function nelderMead(objective: (x: readonly number[]) => number, start: readonly number[], options: NelderMeadOptions = {}): Minimum {
  const n = start.length;
  const maxIterations = options.maxIterations ?? 200 * n;
  const tolerance = options.tolerance ?? 1e-10;
  const f = (x: number[]): number => {
    const v = objective(x);
    return Number.isFinite(v) ? v : Number.POSITIVE_INFINITY;
  };

  let simplex: { x: number[]; value: number }[] = [{ x: start.slice(), value: f(start.slice()) }];
  for (let i = 0; i < n; i++) {
    const x = start.slice();
    const xi = x[i] as number;
    x[i] = xi + (options.initialStep ?? (xi !== 0 ? 0.05 * xi : 0.00025));
    simplex.push({ x, value: f(x) });
  }

  let iterations = 0;
  let converged = false;
  const along = (from: number[], to: number[], t: number): number[] => from.map((v, i) => v + t * ((to[i] as number) - v));

  for (; iterations < maxIterations; iterations++) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0] as { x: number[]; value: number };
    const worst = simplex[n] as { x: number[]; value: number };
    const secondWorst = simplex[n - 1] as { x: number[]; value: number };

    const valueSpread = Math.max(...simplex.map((p) => Math.abs(p.value - best.value)));
    const size = Math.max(...simplex.slice(1).map((p) => Math.max(...p.x.map((v, i) => Math.abs(v - (best.x[i] as number))))));
    if (valueSpread <= tolerance && size <= Math.sqrt(tolerance)) {
      converged = true;
      break;
    }

    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i] = (centroid[i] as number) + ((simplex[k] as { x: number[] }).x[i] as number) / n;

    const reflected = along(centroid, worst.x, -1);
    const reflectedValue = f(reflected);
    if (reflectedValue < best.value) {
      const expanded = along(centroid, worst.x, -2);
      const expandedValue = f(expanded);
      simplex[n] = expandedValue < reflectedValue ? { x: expanded, value: expandedValue } : { x: reflected, value: reflectedValue };
      continue;
    }
    if (reflectedValue < secondWorst.value) {
      simplex[n] = { x: reflected, value: reflectedValue };
      continue;
    }
    const outside = reflectedValue < worst.value;
    const contracted = outside ? along(centroid, reflected, 0.5) : along(centroid, worst.x, 0.5);
    const contractedValue = f(contracted);
    if (contractedValue < (outside ? reflectedValue : worst.value)) {
      simplex[n] = { x: contracted, value: contractedValue };
      continue;
    }
    simplex = simplex.map((p, k) => (k === 0 ? p : { x: along(best.x, p.x, 0.5), value: f(along(best.x, p.x, 0.5)) }));
  }
  simplex.sort((a, b) => a.value - b.value);
  const best = simplex[0] as { x: number[]; value: number };
  return { x: best.x, value: best.value, iterations, converged };
}
