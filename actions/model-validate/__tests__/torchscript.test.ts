import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { inspectTorchScript, pickleGlobals } from '../src/torchscript.js';

const models = fileURLToPath(new URL('../../../service/models/', import.meta.url));

/** A stored (uncompressed) zip archive, as torch.jit.save writes them. */
function zip(entries: Record<string, Buffer | string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.from(content);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Protocol-2 pickles: GLOBAL then STOP, or two SHORT_BINUNICODE strings, STACK_GLOBAL, STOP. */
const globalPickle = (module: string, name: string) =>
  Buffer.concat([Buffer.from([0x80, 0x02]), Buffer.from(`c${module}\n${name}\n`), Buffer.from([0x29, 0x52, 0x2e])]);
const short = (text: string) => Buffer.concat([Buffer.from([0x8c, Buffer.byteLength(text)]), Buffer.from(text)]);
const stackGlobalPickle = (module: string, name: string) =>
  Buffer.concat([
    Buffer.from([0x80, 0x04]),
    short(module),
    Buffer.from([0x94]),
    short(name),
    Buffer.from([0x94, 0x93, 0x94, 0x29, 0x52, 0x2e]),
  ]);

const torchScript = (dataPkl: Buffer) =>
  zip({
    'm/data.pkl': dataPkl,
    'm/constants.pkl': Buffer.from([0x80, 0x02, 0x29, 0x2e]),
    'm/version': '3\n',
    'm/code/__torch__/m.py': 'class M(Module):\n  pass\n',
  });

describe('inspectTorchScript', () => {
  it.each(['logo_classifier.torchscript', 'quality_predictor.torchscript'])('accepts the committed %s', (file) => {
    const result = inspectTorchScript(readFileSync(models + file));
    expect(result.problems).toEqual([]);
    expect(result.globals).toContain('torch._utils _rebuild_tensor_v2');
  });

  it('accepts a minimal TorchScript archive', () => {
    expect(inspectTorchScript(torchScript(globalPickle('__torch__.m', 'M'))).ok).toBe(true);
  });

  it.each([
    ['a raw pickle (torch.save of an object)', globalPickle('__main__', 'Net'), /raw Python pickle/],
    ['a file that is not a zip', Buffer.from('just text'), /not a zip archive/],
    [
      'a torch.save zip (no code/)',
      zip({ 'archive/data.pkl': globalPickle('__main__', 'Net'), 'archive/version': '3\n' }),
      /no code\/ folder: a torch.save archive/,
    ],
    ['an archive without one root folder', zip({ 'data.pkl': globalPickle('torch', 'FloatStorage') }), /one root folder/],
    ['a pickle that calls os.system', torchScript(globalPickle('os', 'system')), /reference os\.system, which TorchScript never writes/],
    [
      'a pickle that reaches builtins.eval through STACK_GLOBAL',
      torchScript(stackGlobalPickle('builtins', 'eval')),
      /reference builtins\.eval/,
    ],
    ['a pickle with an unknown opcode', torchScript(Buffer.from([0x80, 0x02, 0xff, 0x2e])), /unknown opcode 0xff/],
    ['a truncated pickle', torchScript(Buffer.from([0x80, 0x02, 0x8c, 0x09, 0x61])), /ends inside an opcode/],
    [
      'an entry that escapes the archive',
      zip({ 'm/../../etc/x': 'x', 'm/data.pkl': globalPickle('torch', 'FloatStorage') }),
      /escapes the archive/,
    ],
  ])('refuses %s', (_name, bytes, problem) => {
    const result = inspectTorchScript(bytes);
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(problem);
  });

  it('refuses a truncated archive', () => {
    const bytes = readFileSync(models + 'quality_predictor.torchscript');
    expect(inspectTorchScript(bytes.subarray(0, bytes.length - 40)).problems.join('\n')).toMatch(/damaged zip archive/);
  });
});

describe('pickleGlobals', () => {
  it('follows memoized strings into STACK_GLOBAL', () => {
    expect(pickleGlobals(stackGlobalPickle('collections', 'OrderedDict'))).toEqual(['collections OrderedDict']);
  });
});
