export * from './precomputed';
export * from './schedule';
export * from './checkpoint';
export * from './pretrain';
export * from './finetune';
export * from './finetuneClassifier';
export * from './finetuneSegmenter';
export * from './pretrainTs2Vec';
