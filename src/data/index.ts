export * from './dataset';
export * from './preprocess';
export * from './ludb';
export * from './ptbxl';
export * from './mitdb';
export * from './wfdbFolder';
export * from './cache';
export * from './precompute';
