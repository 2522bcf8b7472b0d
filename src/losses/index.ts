export * from './ntXent';
export * from './softInfoNCE';
export * from './multiPositiveInfoNCE';
export * from './targets';
export * from './hierarchicalContrastive';
export * from './beatSsl';
export * from './segmentation';
