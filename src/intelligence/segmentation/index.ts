export * from './rfm.js';
export * from './segment-names.js';
export * from './kmeans.js';
export * from './silhouette.js';
export * from './customer-segments.js';
