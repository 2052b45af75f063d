/**
 * Is this file a TorchScript archive, and nothing that could run code when loaded?
 *
 * A TorchScript file (torch.jit.save) is a zip archive with one root folder holding `code/` (the compiled
 * TorchScript source), `data.pkl` and `constants.pkl` (restricted pickles of the module's attributes and
 * tensors) and `version`. A file written by torch.save of a Python object is a pickle (raw, or in a zip
 * without `code/`) that torch.load would unpickle with Python's full unpickler, able to import and call
 * anything. So: the archive must have TorchScript's structure, and every global its pickles reference must be
 * one TorchScript's own pickler writes (`__torch__.*` classes, torch's tensor rebuilders and storages,
 * OrderedDict). No deserializer runs here: the zip directory and the pickle opcodes are read as bytes.
 */
import { inflateRawSync } from 'node:zlib';

export interface ArchiveEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localHeaderOffset: number;
}

export interface TorchScriptInspection {
  readonly ok: boolean;
  /** Why the file is refused; empty when ok. */
  readonly problems: readonly string[];
  readonly entries: number;
  readonly globals: readonly string[];
}

const ALLOWED_GLOBALS: readonly ((module: string, name: string) => boolean)[] = [
  (module) => module === '__torch__' || module.startsWith('__torch__.'),
  (module, name) => module === 'torch._utils' && name.startsWith('_rebuild_'),
  (module, name) => module === 'torch' && name.endsWith('Storage'),
  (module) => module === 'torch.jit._pickle',
  (module, name) => module === 'collections' && name === 'OrderedDict',
];

export function inspectTorchScript(bytes: Buffer): TorchScriptInspection {
  const refuse = (problem: string): TorchScriptInspection => ({ ok: false, problems: [problem], entries: 0, globals: [] });
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1]! <= 5) {
    return refuse('is a raw Python pickle (torch.save of an object), not TorchScript: loading it would run arbitrary code');
  }
  if (bytes.length < 4 || bytes.readUInt32LE(0) !== 0x04034b50) return refuse('is not a zip archive, so not a TorchScript file');
  let entries: ArchiveEntry[];
  try {
    entries = zipEntries(bytes);
  } catch (error) {
    return refuse(`is a damaged zip archive (${error instanceof Error ? error.message : String(error)})`);
  }
  const problems: string[] = [];
  const roots = new Set(entries.map((entry) => entry.name.split('/')[0]));
  if (roots.size !== 1 || entries.some((entry) => !entry.name.includes('/'))) {
    return { ok: false, problems: ['does not have the one root folder of a TorchScript archive'], entries: entries.length, globals: [] };
  }
  const root = [...roots][0]!;
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  for (const entry of entries) {
    if (entry.name.split('/').some((part) => part === '..') || entry.name.startsWith('/')) {
      problems.push(`has an entry that escapes the archive: ${entry.name}`);
    }
  }
  const hasCode = entries.some((entry) => entry.name.startsWith(`${root}/code/`) && entry.name.endsWith('.py'));
  if (!byName.has(`${root}/data.pkl`)) problems.push('has no data.pkl: not a TorchScript archive');
  if (!hasCode) {
    problems.push(
      byName.has(`${root}/data.pkl`)
        ? 'has no code/ folder: a torch.save archive of a Python object (loaded by unpickling), not TorchScript'
        : 'has no code/ folder: not a TorchScript archive',
    );
  }
  if (!byName.has(`${root}/constants.pkl`)) problems.push('has no constants.pkl: not a TorchScript archive');
  if (!byName.has(`${root}/version`)) problems.push('has no version record: not a TorchScript archive');
  const globals = new Set<string>();
  for (const pickle of [`${root}/data.pkl`, `${root}/constants.pkl`]) {
    const entry = byName.get(pickle);
    if (!entry) continue;
    try {
      for (const global of pickleGlobals(entryData(bytes, entry))) globals.add(global);
    } catch (error) {
      problems.push(
        `${pickle.slice(root.length + 1)} cannot be read as a pickle (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
  for (const global of globals) {
    const [module, name] = global.split(' ') as [string, string];
    if (!ALLOWED_GLOBALS.some((allowed) => allowed(module, name))) {
      problems.push(`its pickles reference ${module}.${name}, which TorchScript never writes: loading could run arbitrary code`);
    }
  }
  return { ok: problems.length === 0, problems, entries: entries.length, globals: [...globals].sort() };
}

/** The central directory of a zip archive (no ZIP64: model files are far below 4 GiB). */
export function zipEntries(bytes: Buffer): ArchiveEntry[] {
  const minimum = 22;
  let end = -1;
  for (let i = bytes.length - minimum; i >= Math.max(0, bytes.length - minimum - 0xffff); i -= 1) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('no end-of-central-directory record');
  const count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  const entries: ArchiveEntry[] = [];
  for (let i = 0; i < count; i += 1) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== 0x02014b50) throw new Error(`central directory entry ${i} is damaged`);
    const method = bytes.readUInt16LE(offset + 10);
    const compressedSize = bytes.readUInt32LE(offset + 20);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extraLength = bytes.readUInt16LE(offset + 30);
    const commentLength = bytes.readUInt16LE(offset + 32);
    const localHeaderOffset = bytes.readUInt32LE(offset + 42);
    const name = bytes.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    entries.push({ name, method, compressedSize, localHeaderOffset });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function entryData(bytes: Buffer, entry: ArchiveEntry): Buffer {
  const local = entry.localHeaderOffset;
  if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50) throw new Error(`local header of ${entry.name} is damaged`);
  const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw new Error(`${entry.name} is truncated`);
  if (entry.method === 0) return data;
  if (entry.method === 8) return inflateRawSync(data);
  throw new Error(`${entry.name} uses zip compression method ${entry.method}`);
}

/**
 * Every global (`module name`) a pickle references, by walking its opcodes without executing any. GLOBAL and
 * INST name theirs inline; STACK_GLOBAL takes the last two strings pushed (torch's pickler pushes them
 * directly or through the memo). Unknown opcodes and extension codes are refused rather than guessed.
 */
export function pickleGlobals(data: Buffer): string[] {
  const globals: string[] = [];
  const strings: (string | undefined)[] = [];
  const memo = new Map<number, string | undefined>();
  let last: string | undefined;
  let i = 0;
  const take = (n: number) => {
    if (i + n > data.length) throw new Error('ends inside an opcode');
    const slice = data.subarray(i, i + n);
    i += n;
    return slice;
  };
  const line = () => {
    const stop = data.indexOf(0x0a, i);
    if (stop < 0) throw new Error('ends inside a text argument');
    const text = data.subarray(i, stop).toString('latin1');
    i = stop + 1;
    return text;
  };
  const pushString = (value: string | undefined) => {
    strings.push(value);
    last = value;
  };
  while (i < data.length) {
    const op = data[i]!;
    i += 1;
    switch (op) {
      case 0x2e: // STOP
        return globals;
      case 0x80: // PROTO
        take(1);
        break;
      case 0x95: // FRAME
        take(8);
        break;
      case 0x63: // GLOBAL
      case 0x69: {
        // INST
        const module = line();
        const name = line();
        globals.push(`${module} ${name}`);
        last = undefined;
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = strings.pop();
        const module = strings.pop();
        if (module === undefined || name === undefined) throw new Error('STACK_GLOBAL without two known strings before it');
        globals.push(`${module} ${name}`);
        last = undefined;
        break;
      }
      case 0x8c: // SHORT_BINUNICODE
        pushString(take(take(1)[0]!).toString('utf8'));
        break;
      case 0x58: // BINUNICODE
        pushString(take(take(4).readUInt32LE(0)).toString('utf8'));
        break;
      case 0x8d: // BINUNICODE8
        pushString(take(Number(take(8).readBigUInt64LE(0))).toString('utf8'));
        break;
      case 0x55: // SHORT_BINSTRING
        pushString(take(take(1)[0]!).toString('latin1'));
        break;
      case 0x54: // BINSTRING
        pushString(take(take(4).readUInt32LE(0)).toString('latin1'));
        break;
      case 0x56: // UNICODE
      case 0x53: // STRING
        pushString(line());
        break;
      case 0x43: // SHORT_BINBYTES
        take(take(1)[0]!);
        last = undefined;
        break;
      case 0x42: // BINBYTES
        take(take(4).readUInt32LE(0));
        last = undefined;
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        take(Number(take(8).readBigUInt64LE(0)));
        last = undefined;
        break;
      case 0x8a: // LONG1
        take(take(1)[0]!);
        last = undefined;
        break;
      case 0x8b: // LONG4
        take(take(4).readUInt32LE(0));
        last = undefined;
        break;
      case 0x4b: // BININT1
        take(1);
        last = undefined;
        break;
      case 0x4d: // BININT2
        take(2);
        last = undefined;
        break;
      case 0x4a: // BININT
        take(4);
        last = undefined;
        break;
      case 0x47: // BINFLOAT
        take(8);
        last = undefined;
        break;
      case 0x49: // INT
      case 0x4c: // LONG
      case 0x46: // FLOAT
      case 0x50: // PERSID
        line();
        last = undefined;
        break;
      case 0x71: // BINPUT
        memo.set(take(1)[0]!, last);
        break;
      case 0x72: // LONG_BINPUT
        memo.set(take(4).readUInt32LE(0), last);
        break;
      case 0x70: // PUT
        memo.set(Number(line()), last);
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, last);
        break;
      case 0x68: // BINGET
        pushString(memo.get(take(1)[0]!));
        break;
      case 0x6a: // LONG_BINGET
        pushString(memo.get(take(4).readUInt32LE(0)));
        break;
      case 0x67: // GET
        pushString(memo.get(Number(line())));
        break;
      case 0x82: // EXT1
      case 0x83: // EXT2
      case 0x84: // EXT4
        throw new Error('uses the copyreg extension registry, which TorchScript never writes');
      case 0x28: // MARK
      case 0x29: // EMPTY_TUPLE
      case 0x5d: // EMPTY_LIST
      case 0x7d: // EMPTY_DICT
      case 0x8f: // EMPTY_SET
      case 0x74: // TUPLE
      case 0x85: // TUPLE1
      case 0x86: // TUPLE2
      case 0x87: // TUPLE3
      case 0x61: // APPEND
      case 0x65: // APPENDS
      case 0x73: // SETITEM
      case 0x75: // SETITEMS
      case 0x62: // BUILD
      case 0x52: // REDUCE
      case 0x81: // NEWOBJ
      case 0x92: // NEWOBJ_EX
      case 0x6f: // OBJ
      case 0x4e: // NONE
      case 0x88: // NEWTRUE
      case 0x89: // NEWFALSE
      case 0x30: // POP
      case 0x31: // POP_MARK
      case 0x32: // DUP
      case 0x90: // ADDITEMS
      case 0x91: // FROZENSET
      case 0x51: // BINPERSID
      case 0x97: // NEXT_BUFFER
      case 0x98: // READONLY_BUFFER
        last = undefined;
        break;
      default:
        throw new Error(`unknown opcode 0x${op.toString(16)} at byte ${i - 1}`);
    }
  }
  throw new Error('has no STOP opcode');
}
