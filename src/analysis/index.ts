export * from './segmentRecord';
