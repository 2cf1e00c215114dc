/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so the retries of many
 * failed sends spread out instead of arriving together. `attempt` counts from 1.
 */
export function backoffWithJitter(baseMs: number, attempt: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
