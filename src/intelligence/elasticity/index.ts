export * from './student-t.js';
export * from './ols.js';
export * from './price-elasticity.js';
export * from './catalog-elasticities.js';
