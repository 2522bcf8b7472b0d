import { defineConvGradTests } from './_convGradCases';

await defineConvGradTests('wasm training kernels');
