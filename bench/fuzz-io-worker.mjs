// Worker bootstrap of bench/fuzz-io.ts: tsx's loader is not inherited by worker threads, so the
// worker registers it and then loads the TypeScript file (which runs its worker branch).
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-io.ts');
