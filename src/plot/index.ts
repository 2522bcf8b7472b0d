export * from './ecg12';
export * from './vcgLoops';
export * from './matrix';
export * from './trainingCurve';
