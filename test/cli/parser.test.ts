import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { parseArgs, commandHelp, type CliCommand } from '../../src/cli/command';
import { COMMANDS } from '../../src/cli/registry';
import { PRETRAIN_FLAGS, FINETUNE_FLAGS, prefixFlags, recipeFromFlags } from '../../src/cli/flags';

const REPO = new URL('../../', import.meta.url).pathname;

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false });
  return { code, out, err };
}

const demo: CliCommand = {
  name: 'demo',
  summary: 'test',
  usage: '',
  options: [
    { name: 'peaks', type: 'boolean', default: true, description: 'x' },
    { name: 'grid', type: 'boolean', default: false, description: 'x' },
    { name: 'steps', type: 'number', integer: true, min: 1, default: 10, description: 'x' },
    { name: 'start', type: 'number', min: 0, description: 'x' },
    { name: 'shift', type: 'number', description: 'x' },
    { name: 'out', type: 'string', description: 'x' },
    { name: 'lead', type: 'string', multiple: true, description: 'x' },
    { name: 'layout', type: 'string', choices: ['3x4', '12x1'], description: 'x' },
  ],
  run: async () => 0,
};

describe('parseArgs (node:util.parseArgs)', () => {
  it('negates every boolean with --no-x; the last one wins', () => {
    expect(parseArgs(['--no-peaks'], demo).options.peaks).toBe(false);
    expect(parseArgs(['--no-peaks', '--peaks'], demo).options.peaks).toBe(true);
    expect(parseArgs(['--grid', '--no-grid'], demo).options.grid).toBe(false);
    expect(parseArgs([], demo).options).toMatchObject({ peaks: true, grid: false, steps: 10 });
  });

  it('rejects --x=false for booleans, naming --no-x', () => {
    expect(() => parseArgs(['--peaks=false'], demo)).toThrow("option --peaks takes no value (use --peaks or --no-peaks), but got 'false'");
  });

  it('validates numbers against their declared range, accepting a negative value to report it', () => {
    expect(() => parseArgs(['--steps', '-5'], demo)).toThrow("option --steps must be an integer ≥ 1, but got '-5'");
    expect(() => parseArgs(['--steps', '2.5'], demo)).toThrow('must be an integer ≥ 1');
    expect(() => parseArgs(['--start=-1'], demo)).toThrow("option --start must be a number ≥ 0, but got '-1'");
    expect(() => parseArgs(['--steps', 'ten'], demo)).toThrow("but got 'ten'");
    expect(parseArgs(['--shift', '-0.5'], demo).options.shift).toBe(-0.5);
  });

  it('rejects unknown flags with a suggestion, and a flag given as a value', () => {
    expect(() => parseArgs(['--stepz', '3'], demo)).toThrow("unknown option --stepz for 'beat-ssl demo' (did you mean --steps?)");
    expect(() => parseArgs(['-x'], demo)).toThrow("unknown option -x for 'beat-ssl demo'");
    expect(() => parseArgs(['--out', '--grid'], demo)).toThrow("option --out needs a value, but got '--grid'");
    expect(() => parseArgs(['--out'], demo)).toThrow('option --out needs a value');
    expect(() => parseArgs(['--layout', '6x2'], demo)).toThrow("option --layout must be one of 3x4, 12x1, but got '6x2'");
  });

  it('collects repeated values, positionals and everything after --', () => {
    const a = parseArgs(['r1', '--lead', 'I', '--lead=II', 'r2', '--', '--not-a-flag'], demo);
    expect(a.options.lead).toEqual(['I', 'II']);
    expect(a.positionals).toEqual(['r1', 'r2', '--not-a-flag']);
    expect([...a.given].sort()).toEqual(['lead']);
  });

  it('help lists --[no-]x for booleans that default on, and -h', () => {
    const h = commandHelp(demo);
    expect(h).toContain('--[no-]peaks');
    expect(h).toContain('-h, --help');
    expect(h).toContain('--steps <int>');
  });
});

describe('beat-ssl conventions', () => {
  it('-h/--help prints help to stdout with exit 0; no arguments print it to stderr with exit 2', async () => {
    for (const f of ['-h', '--help', 'help']) {
      const r = await run([f]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^Usage: beat-ssl <command>/);
      expect(r.err).toBe('');
    }
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^Usage: beat-ssl <command>/);
  });

  it('-v/--version print the package version', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string };
    for (const f of ['-v', '--version']) {
      const r = await run([f]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`beat-ssl ${version}\n`);
    }
  });

  it('`<command> -h` prints the command help (info -h opens no file)', async () => {
    for (const c of COMMANDS) {
      const r = await run([c.name, '-h']);
      expect(r.code, c.name).toBe(0);
      expect(r.out).toContain(`Usage: beat-ssl ${c.name}`);
      expect(r.err).toBe('');
    }
    expect((await run(['help', 'plot'])).out).toContain('Usage: beat-ssl plot');
  });

  it('misuse goes to stderr with exit 2 and a pointer to the help', async () => {
    const r = await run(['info', '--bogus', 'x']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toContain("unknown option --bogus for 'beat-ssl info'");
    expect(r.err).toContain("Run 'beat-ssl info --help' for usage.");
    const u = await run(['segmnet']);
    expect(u.code).toBe(2);
    expect(u.err).toContain("unknown command 'segmnet' (did you mean 'segment'?)");
  });

  it('every boolean flag of every command has a --no- form that parses', () => {
    for (const c of COMMANDS) {
      for (const o of c.options.filter((x) => x.type === 'boolean')) {
        expect(parseArgs([`--no-${o.name}`], c).options[o.name], `${c.name} --no-${o.name}`).toBe(false);
      }
    }
  });

  it('arguments are validated before any data is read: pretrain --steps -5, a missing --data folder', async () => {
    const t0 = Date.now();
    const r = await run(['pretrain', '--data', join(REPO, 'examples/data/ptbxl'), '--steps', '-5']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("option --steps must be an integer ≥ 1, but got '-5'");
    expect(Date.now() - t0).toBeLessThan(2000);
    const m = await run(['pretrain', '--data', '/nonexistent/folder']);
    expect(m.code).toBe(2);
    expect(m.err).toContain("option --data must be a readable folder, but '/nonexistent/folder' does not exist");
    const x = await run(['finetune', '--task', 'segment', '--data', join(REPO, 'examples/data/ludb'), '--label-fraction', '1.5']);
    expect(x.code).toBe(2);
    expect(x.err).toContain("option --label-fraction must be a number in (0, 1], but got '1.5'");
    const s = await run(['finetune', '--task', 'segment', '--data', join(REPO, 'examples/data/ludb'), '--encoder-lr-scale', '-1']);
    expect(s.code).toBe(2);
    expect(s.err).toContain("option --encoder-lr-scale must be a number ≥ 0, but got '-1'");
    const t = await run(['finetune', '--data', join(REPO, 'examples/data/ludb')]);
    expect(t.code).toBe(2);
    expect(t.err).toContain("'beat-ssl finetune' needs --task classify|segment");
    const w = await run(['finetune', '--task', 'segment', '--data', join(REPO, 'examples/data/ludb'), '--wave-sources', 'P=magic']);
    expect(w.code).toBe(2);
    expect(w.err).toContain('option --wave-sources must be a list like P=rules,QRS=rules');
  });

  it('plot --out into a missing folder fails before drawing, in the library error format, writing nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beat-ssl-cli-'));
    const r = await run(['plot', join(REPO, 'examples/data/ludb/1'), '--out', join(dir, 'nope/p.svg')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/option --out must be a path in an existing folder, but folder '.*nope' does not exist \(create it first\)/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the shared flag set', () => {
  it('maps pretraining flags onto BeatSslModelConfig and PretrainOptions fields', () => {
    const cmd = { name: 'x', options: [...PRETRAIN_FLAGS] };
    const a = parseArgs(['--exponent', '50', '--rhythm-targets', 'hard', '--beat-targets', 'none', '--lr', '0.01', '--encoder', 'tiny'], cmd);
    const r = recipeFromFlags(PRETRAIN_FLAGS, a.options, { given: a.given });
    expect(r.model).toEqual({ encoder: 'tiny' });
    expect(r.pretrain).toEqual({ steps: 1000, batchSize: 32, objective: { exponent: 50, rhythmTargets: 'hard', beatTargets: 'none' }, optimizer: { learningRate: 0.01 } });
  });

  it('flags given on the command line override a --config recipe; defaults only fill what it leaves unset', () => {
    const cmd = { name: 'x', options: [...PRETRAIN_FLAGS] };
    const a = parseArgs(['--exponent', '50'], cmd);
    const r = recipeFromFlags(PRETRAIN_FLAGS, a.options, { base: { pretrain: { steps: 7, objective: { exponent: 2, beatTargets: 'soft' } } }, given: a.given });
    expect(r.pretrain.steps).toBe(7);
    expect(r.pretrain.objective).toEqual({ exponent: 50, beatTargets: 'soft' });
    expect(r.pretrain.batchSize).toBe(32);
  });

  it('errors name the flag, also with the eval prefix', () => {
    const cmd = { name: 'eval', options: prefixFlags(PRETRAIN_FLAGS, 'pretrain-') };
    expect(() => parseArgs(['--pretrain-exponent', '0'], cmd)).toThrow("option --pretrain-exponent must be a number > 0 or calibrated, but got '0'");
    expect(() => parseArgs(['--pretrain-beat-targets', 'sof'], cmd)).toThrow("option --pretrain-beat-targets must be one of none, hard, hardClass, soft, but got 'sof' (did you mean soft?)");
    const a = parseArgs(['--pretrain-steps', '5'], cmd);
    expect(recipeFromFlags(PRETRAIN_FLAGS, a.options, { prefix: 'pretrain-', given: a.given }).pretrain.steps).toBe(5);
  });

  it('compound values are checked', () => {
    const cmd = { name: 'x', options: [...FINETUNE_FLAGS] };
    const ok = parseArgs(['--augment-scale', '0.8,1.2', '--augment-noise', '0.05', '--no-restore-best'], cmd);
    expect(recipeFromFlags(FINETUNE_FLAGS, ok.options).finetune).toMatchObject({ augment: { scale: [0.8, 1.2], noiseSd: 0.05 }, restoreBest: false });
    const bad = parseArgs(['--augment-scale', '1.2,0.8'], cmd);
    expect(() => recipeFromFlags(FINETUNE_FLAGS, bad.options)).toThrow("option --augment-scale must be two numbers lo,hi with lo ≤ hi, but got '1.2,0.8'");
  });
});
