/** Market insights: dated currency conversion, regional price spreads, trend decomposition, opportunity scoring. */
export * from './minor-units.js';
export * from './currency-conversion.js';
export * from './regional-prices.js';
export * from './classical-decomposition.js';
export * from './stl.js';
export * from './decomposition-strength.js';
export * from './criteria.js';
export * from './weighted-sum.js';
export * from './topsis.js';
