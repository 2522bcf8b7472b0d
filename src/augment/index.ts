export * from './compose';
export * from './threeKG';
export * from './twoViews';
export * from './noise';
export * from './baseline';
export * from './amplitudeScale';
export * from './timeShift';
export * from './masking';
