export * from './head';
export * from './classification';
export * from './segmentation';
export * from './waves';
export * from './modelFolder';
export * from './segmentationModel';
export * from './segmentationModelFromFiles';
