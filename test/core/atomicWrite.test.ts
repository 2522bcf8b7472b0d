import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { committedDir, writeDirAtomic, writeFileAtomic, writeFilesAtomic } from '../../src/core/atomicWrite';
import { setFaultHook } from '../../src/core/_internal/faults';

let root = '';
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'beat-ssl-atomic-'));
});
afterEach(() => {
  setFaultHook(null);
  rmSync(root, { recursive: true, force: true });
});

describe('writeFileAtomic / writeFilesAtomic', () => {
  it('writes and replaces files, leaving no temporary file', async () => {
    const f = join(root, 'a.json');
    await writeFileAtomic(f, '{"v":1}');
    await writeFileAtomic(f, new TextEncoder().encode('{"v":2}'));
    expect(readFileSync(f, 'utf8')).toBe('{"v":2}');
    expect(readdirSync(root)).toEqual(['a.json']);
  });

  it('names the caller and the file when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(root, 'nope', 'x.svg'), 'x', { fn: 'beat-ssl plot' })).rejects.toThrow(
      `Error in beat-ssl plot: output '${join(root, 'nope', 'x.svg')}' must be writable, but writing failed (ENOENT: its folder does not exist).`,
    );
  });

  it('keeps the old contents when it fails before the rename (injected), and removes the temporary file', async () => {
    const f = join(root, 'a.txt');
    writeFileSync(f, 'old');
    setFaultHook((point) => {
      if (point === 'file:before-rename') throw new Error('injected');
    });
    await expect(writeFileAtomic(f, 'new')).rejects.toThrow(/must be writable, but writing failed \(injected\)/);
    expect(readFileSync(f, 'utf8')).toBe('old');
    expect(readdirSync(root)).toEqual(['a.txt']);
  });

  it('several files: a failure while writing leaves every target untouched', async () => {
    const a = join(root, 'r.hea');
    writeFileSync(a, 'old header');
    await expect(writeFilesAtomic([{ path: a, data: 'new header' }, { path: join(root, 'missing', 'r.dat'), data: new Uint8Array(4) }], { fn: 'writeRecord' })).rejects.toThrow(/Error in writeRecord: output '.*r\.dat' must be writable/);
    expect(readFileSync(a, 'utf8')).toBe('old header');
    expect(readdirSync(root)).toEqual(['r.hea']);
  });
});

describe('writeDirAtomic / committedDir', () => {
  const fill = (v: string) => async (tmp: string) => {
    writeFileSync(join(tmp, 'a.txt'), v);
    mkdirSync(join(tmp, 'sub'));
    writeFileSync(join(tmp, 'sub', 'b.txt'), v);
  };
  const contents = (dir: string) => [readFileSync(join(dir, 'a.txt'), 'utf8'), readFileSync(join(dir, 'sub', 'b.txt'), 'utf8')];

  it('replaces a folder; a failing fill leaves the old one and no temporary folder', async () => {
    const d = join(root, 'model');
    await writeDirAtomic(d, fill('v1'));
    await writeDirAtomic(d, fill('v2'));
    expect(contents(d)).toEqual(['v2', 'v2']);
    await expect(writeDirAtomic(d, async () => { throw new Error('boom'); }, { fn: 'EcgSegmenter.save' })).rejects.toThrow(/Error in EcgSegmenter.save: output '.*model' must be writable, but writing failed \(boom\)/);
    expect(contents(d)).toEqual(['v2', 'v2']);
    expect(readdirSync(root)).toEqual(['model']);
  });

  it('a crash at any step leaves a complete old or new folder for the loader, and the next write cleans up', async () => {
    const d = join(root, 'run', 'model');
    await writeDirAtomic(d, fill('v1'));
    const images: { point: string; dir: string }[] = [];
    setFaultHook((point) => {
      // a crash image: the folder exactly as a kill at this instant leaves it
      const img = join(root, `image-${images.length}`);
      cpSync(join(root, 'run'), img, { recursive: true });
      images.push({ point, dir: img });
    });
    await writeDirAtomic(d, fill('v2'));
    setFaultHook(null);
    expect(images.map((i) => i.point)).toEqual(['dir:before-swap', 'dir:moved-aside', 'dir:swapped']);
    // between the two renames only the previous version exists, and the loader reads it
    const aside = images[1].dir;
    expect(existsSync(join(aside, 'model'))).toBe(false);
    expect(contents(await committedDir(join(aside, 'model')))).toEqual(['v1', 'v1']);
    for (const img of images) {
      const target = join(img.dir, 'model');
      const seen = contents(await committedDir(target));
      expect(seen[0]).toBe(seen[1]);
      expect(['v1', 'v2']).toContain(seen[0]);
      await writeDirAtomic(target, fill('v3'));
      expect(contents(target)).toEqual(['v3', 'v3']);
      expect(readdirSync(img.dir)).toEqual(['model']);
    }
  });

  it('committedDir returns the folder itself when nothing was interrupted', async () => {
    const d = join(root, 'm');
    expect(await committedDir(d)).toBe(d);
    await writeDirAtomic(d, fill('v1'));
    expect(await committedDir(d)).toBe(d);
  });
});

describe('writeDirAtomic never replaces the working directory (issue 17 sweep)', () => {
  // Found by the bad-input sweep: writeDirAtomic('') resolved '' to the working directory, moved it
  // aside, put an empty folder in its place and deleted the old one with everything in it.
  it("refuses '', '.', a parent of the working directory and a root, and leaves them untouched", async () => {
    const work = mkdtempSync(join(tmpdir(), 'beat-ssl-cwd-'));
    writeFileSync(join(work, 'keep.txt'), 'precious');
    const cwd = process.cwd();
    process.chdir(work);
    try {
      for (const dir of ['', '.', './', '..', work, '/']) {
        await expect(writeDirAtomic(dir, async () => undefined)).rejects.toThrow(/^Error in writeDirAtomic: dir must be a (non-empty path|folder of its own \(it is replaced as a whole\))/);
      }
      await expect(writeDirAtomic('', async () => undefined, { fn: 'BeatSslModel.save' })).rejects.toThrow(/^Error in BeatSslModel\.save: dir must be/);
      expect(readFileSync(join(work, 'keep.txt'), 'utf8')).toBe('precious');
      // a sub-folder is fine
      await writeDirAtomic('sub', async (tmp) => writeFileSync(join(tmp, 'a.txt'), 'a'));
      expect(readFileSync(join(work, 'sub/a.txt'), 'utf8')).toBe('a');
    } finally {
      process.chdir(cwd);
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('checks the other arguments before touching the disk', async () => {
    // a folder that is never the working directory or one of its parents (CI runs in /tmp/x itself)
    const never = join(tmpdir(), `beat-ssl-never-created-${process.pid}`, 'x');
    await expect(writeDirAtomic(never, 'fill' as never)).rejects.toThrow('Error in writeDirAtomic: fill must be an async function');
    await expect(writeFileAtomic('', 'x')).rejects.toThrow("Error in writeFileAtomic: path must be a non-empty path, but got \"\".");
    await expect(writeFilesAtomic([{ path: join(tmpdir(), 'y'), data: 5 as never }])).rejects.toThrow('Error in writeFilesAtomic: entries[0].data must be a string or a Uint8Array');
    await expect(writeFileAtomic(join(tmpdir(), 'z'), 'x', { fnn: 'f' } as never)).rejects.toThrow("Error in writeFileAtomic: opts must have only the keys 'fn', but got unknown key 'fnn'.");
    await expect(committedDir('')).rejects.toThrow('Error in committedDir: dir must be a non-empty path');
  });
});
