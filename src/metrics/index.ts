export * from './classification';
export * from './segmentation';
export * from './beats';
export * from './delineation';
export * from './pairedTTest';
