export * from './detect';
export * from './rpeakStream';
