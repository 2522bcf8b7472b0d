export * from './setBackend';
export * from './ensureGradients';
export * from './backendInfo';
export * from './wasmTrainingKernels';
export * from './tensorflowKernels';
