import { defineConvGradTests } from './_convGradCases';

defineConvGradTests('native conv1d addon on wasm', true);
