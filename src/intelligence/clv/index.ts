/**
 * Customer value and churn: who is still a customer, how much they will buy, and what they
 * are worth. Summarise orders with `summariseTransactions`, fit a transaction model
 * (`fitBgNbd`, or `fitParetoNbd`) and a spend model (`fitGammaGamma`), then ask
 * `probabilityAlive`, `expectedPurchases` and `explainLifetimeValue`. Every fitted model is
 * plain JSON-serialisable data.
 */
export * from './summary.js';
export type { FitOptions, FitDiagnostics } from './maximum-likelihood.js';
export * from './bg-nbd.js';
export * from './pareto-nbd.js';
export * from './gamma-gamma.js';
export * from './lifetime-value.js';
export * from './model-json.js';
