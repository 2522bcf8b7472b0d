import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '/work/main/src/backend/setBackend';
import { benchModel, BENCH_SMALL } from '/work/main/bench/model';
const be = process.argv[2] ?? 'wasm';
console.log(JSON.stringify(await setBackend(be as 'wasm')));
const r = await benchModel({ time: Number(process.argv[3] ?? 200), batch: Number(process.argv[4] ?? 4), reps: 2 });
console.log(JSON.stringify(r));
