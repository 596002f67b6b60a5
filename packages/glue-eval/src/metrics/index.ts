export { accuracy } from './accuracy.js';
export { f1 } from './f1.js';
export { matthewsCorrcoef } from './matthews.js';
export { pearson } from './pearson.js';
export { averageRanks, spearman } from './spearman.js';
