/**
 * Loading fitted CLV models back from JSON (they are stored as plain data, e.g. in a settings
 * table or a cache): checks the `kind` and that every parameter is a positive finite number,
 * so a corrupted or foreign blob fails loudly here instead of yielding NaN forecasts later.
 */
import type { BgNbdModel } from './bg-nbd.js';
import type { GammaGammaModel } from './gamma-gamma.js';
import type { ParetoNbdModel } from './pareto-nbd.js';

export type ClvModel = BgNbdModel | ParetoNbdModel | GammaGammaModel;

const PARAMETERS: Record<ClvModel['kind'], readonly string[]> = {
  'bg-nbd': ['r', 'alpha', 'a', 'b'],
  'pareto-nbd': ['r', 'alpha', 's', 'beta'],
  'gamma-gamma': ['p', 'q', 'gamma'],
};

export function loadClvModel(value: unknown): ClvModel {
  const data = typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
  if (typeof data !== 'object' || data === null) throw new TypeError('a CLV model must be an object');
  const record = data as Record<string, unknown>;
  const kind = record.kind;
  if (kind !== 'bg-nbd' && kind !== 'pareto-nbd' && kind !== 'gamma-gamma') throw new TypeError(`unknown CLV model kind: ${String(kind)}`);
  for (const name of PARAMETERS[kind]) {
    const v = record[name];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new TypeError(`${kind} parameter ${name} must be a positive number, got ${String(v)}`);
  }
  for (const name of ['logLikelihood', 'customers', 'iterations']) {
    if (typeof record[name] !== 'number') throw new TypeError(`${kind} model lacks ${name}`);
  }
  if (typeof record.converged !== 'boolean') throw new TypeError(`${kind} model lacks converged`);
  return record as unknown as ClvModel;
}
