export * from './vcgCoefficients';
