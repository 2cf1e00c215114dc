/**
 * Average path length of an unsuccessful search in a binary search tree of n points, the
 * normaliser of Isolation Forest: c(n) = 2H(n − 1) − 2(n − 1)/n.
 * Liu, Ting & Zhou (2008), "Isolation Forest", ICDM, eq. (1); Preiss (1999) for the BST result.
 *
 * The paper estimates the harmonic number H(i) by ln(i) + γ. That estimate is poor for the tiny
 * leaves a height-limited tree produces (it gives c(2) = 0.15 instead of 1), so H is summed
 * exactly below HARMONIC_EXACT_BELOW and the asymptotic series is used above, where both agree
 * to better than 1e-12.
 */
const EULER_GAMMA = 0.5772156649015329;
const HARMONIC_EXACT_BELOW = 64;

export function harmonicNumber(i: number): number {
  if (i <= 0) return 0;
  if (i < HARMONIC_EXACT_BELOW) {
    let sum = 0;
    for (let k = 1; k <= i; k++) sum += 1 / k;
    return sum;
  }
  const inverseSquare = 1 / (i * i);
  return Math.log(i) + EULER_GAMMA + 1 / (2 * i) - inverseSquare / 12 + (inverseSquare * inverseSquare) / 120;
}

/** c(n); 0 for n ≤ 1, where no further split could happen. */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  return 2 * harmonicNumber(n - 1) - (2 * (n - 1)) / n;
}
