/**
 * Child process of the SIGKILL test (test/train/killResume.test.ts): a tiny Beat-SSL pretraining
 * with a checkpoint after every step, resumed from `dir` when a checkpoint is there, then the final
 * model saved to `dir/model` — the flow of `beat-ssl pretrain --resume`.
 *
 *   node --import tsx test/train/_killChild.ts <dir> <steps> [<fault point>:<occurrence>]
 *
 * With a fault point, the process SIGKILLs itself the n-th time the durable writers reach it
 * (a real kill at an exact step of the write protocol). Prints `start` once training begins.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { join } from 'node:path';
import { BeatSslModel } from '../../src/models/beatSslModel';
import { pretrainBeatSsl } from '../../src/train/pretrain';
import { setFaultHook } from '../../src/core/_internal/faults';
import { syntheticRecords } from './_synthetic';

async function main(): Promise<void> {
  const [dir, steps, killAt] = process.argv.slice(2);
  if (killAt) {
    const cut = killAt.lastIndexOf(':');
    const point = killAt.slice(0, cut);
    const nth = Number(killAt.slice(cut + 1));
    let seen = 0;
    setFaultHook((p) => {
      if (p === point && ++seen === nth) process.kill(process.pid, 'SIGKILL');
    });
  }
  await tf.setBackend('cpu');
  const model = BeatSslModel.create({ encoder: { stemWidth: 4, stemKernel: 3, widths: [4, 8], depths: [1, 1], kernelSizes: [3], kernelSize: 3 }, projectionDim: 4, seed: 1, beatStage: 1 });
  const data = syntheticRecords(8);
  process.stdout.write('start\n');
  const res = await pretrainBeatSsl({ model, data, steps: Number(steps), batchSize: 3, seed: 9, maxBeats: 3, windowSamples: 100, checkpoint: { dir, everySteps: 1, keep: 2 }, resume: true });
  await model.save(join(dir, 'model'));
  model.dispose();
  process.stdout.write(`done ${res.resumedFrom} ${res.steps}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
