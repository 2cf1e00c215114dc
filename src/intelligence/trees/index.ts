export * from './binning.js';
export * from './regression-tree.js';
export * from './gbdt.js';
