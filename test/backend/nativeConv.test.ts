import { defineConvGradTests } from './_convGradCases';

await defineConvGradTests('native conv1d addon on wasm', true);
