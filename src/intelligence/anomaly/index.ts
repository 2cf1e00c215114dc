/** Fraud and anomaly scoring: Isolation Forest plus explainable order rule signals. */
export * from './feature-matrix.js';
export * from './path-length.js';
export * from './isolation-forest.js';
export * from './isolation-forest-score.js';
export * from './order-context.js';
export * from './order-signals.js';
export * from './order-features.js';
export * from './order-risk.js';
