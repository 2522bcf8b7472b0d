import { defineConvGradTests } from './_convGradCases';

defineConvGradTests('wasm training kernels (no native addon)', false);
