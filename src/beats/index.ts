export * from './detect';
export * from './rpeakStream';
export * from './delineate';
export * from './windows';
export * from './beatFeatures';
export * from './classify';
export * from './ecgFeatures';
export * from './hrv';
