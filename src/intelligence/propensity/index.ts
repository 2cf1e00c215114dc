export * from './features.js';
export * from './logistic-regression.js';
export * from './propensity.js';
