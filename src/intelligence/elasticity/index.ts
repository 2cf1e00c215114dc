export * from './student-t.js';
export * from './ols.js';
export * from './price-elasticity.js';
