export * from './classification';
export * from './segmentation';
export * from './waves';
export * from './segmentRecord';
export * from './segmentationModelFromFiles';
