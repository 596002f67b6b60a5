import { CheckpointError } from '../errors.js';

// A restricted pickle VM: it builds data (numbers, strings, tuples, dicts) and calls ONLY the
// callables the caller's `findGlobal` hands out. It never imports or executes anything; any other
// global is refused by name before it could be called. Opcodes from protocols 0-5 that build data
// are supported; those that instantiate arbitrary classes (INST, OBJ, NEWOBJ, EXT*) are refused.

/** A Python dict (or OrderedDict); `attributes` receives BUILD state such as `_metadata`. */
export class PyDict {
  readonly items = new Map<unknown, unknown>();
  readonly attributes = new Map<string, unknown>();
  constructor(readonly className = 'dict') {}
}

/** A callable global the caller allowed; `build` handles BUILD on the objects it returns, if any. */
export interface PyCallable {
  readonly qualifiedName: string;
  call(args: unknown[]): unknown;
}

export interface UnpickleHooks {
  /** Returns the allowed callable for `module.name`, or throws a CheckpointError naming it. */
  findGlobal(module: string, name: string): PyCallable;
  /** Resolves a persistent id (torch storages). */
  persistentLoad(pid: unknown): unknown;
}

export function unpickle(data: Uint8Array, hooks: UnpickleHooks, file: string): unknown {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const latin1 = new TextDecoder('latin1');
  const stack: unknown[] = [];
  const marks: number[] = [];
  const memo = new Map<number, unknown>();
  let pos = 0;

  const fail = (what: string): never => {
    throw new CheckpointError(`cannot read the pickle (data.pkl): ${what}.`, file);
  };
  const need = (n: number) => {
    if (!Number.isSafeInteger(n) || n < 0 || pos + n > data.byteLength) fail('it is truncated');
  };
  const take = (n: number) => {
    need(n);
    pos += n;
    return data.subarray(pos - n, pos);
  };
  const u8 = () => take(1)[0];
  // Advances past n bytes and returns where they start.
  const skip = (n: number) => {
    need(n);
    pos += n;
    return pos - n;
  };
  const u16 = () => view.getUint16(skip(2), true);
  const u32 = () => view.getUint32(skip(4), true);
  const i32 = () => view.getInt32(skip(4), true);
  const u64 = () => {
    const v = view.getBigUint64(skip(8), true);
    if (v > BigInt(data.byteLength)) fail('a length is larger than the pickle');
    return Number(v);
  };
  const line = () => {
    const end = data.indexOf(0x0a, pos);
    if (end < 0) fail('it is truncated');
    const s = latin1.decode(data.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const text = (bytes: Uint8Array) => {
    try {
      return utf8.decode(bytes);
    } catch {
      return fail('a string is not valid UTF-8');
    }
  };
  const pop = () => {
    if (stack.length === 0 || (marks.length > 0 && stack.length <= marks[marks.length - 1]))
      fail('stack underflow');
    return stack.pop();
  };
  const top = () => {
    if (stack.length === 0) fail('stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = () => {
    const m = marks.pop();
    if (m === undefined) fail('MARK missing');
    return stack.splice(m as number);
  };
  const dictAt = (value: unknown): PyDict =>
    value instanceof PyDict ? value : fail('SETITEM(S) on something that is not a dict');
  const listAt = (value: unknown): unknown[] =>
    Array.isArray(value) ? value : fail('APPEND(S) on something that is not a list');
  const intLine = (s: string) => {
    const t = s.endsWith('L') ? s.slice(0, -1) : s;
    if (t === '00') return false;
    if (t === '01') return true;
    if (!/^-?\d+$/.test(t)) fail(`bad integer ${JSON.stringify(s)}`);
    const n = Number(t);
    return Number.isSafeInteger(n) ? n : fail(`integer ${t} is too large`);
  };
  const longBytes = (b: Uint8Array) => {
    if (b.length > 8) fail('integer too large');
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b.length > 0 && b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : fail(`integer ${v} is too large`);
  };
  const global = (module: string, name: string) => hooks.findGlobal(module, name);

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('pickle protocol above 5');
        break;
      case 0x95: // FRAME: a length hint only
        take(8);
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || marks.length > 0) fail('malformed end of pickle');
        return stack[0];
      case 0x28: // MARK
        marks.push(stack.length);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        listAt(top()).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        listAt(top()).push(...items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new PyDict());
        break;
      case 0x64: {
        // DICT
        const items = popMark();
        const d = new PyDict();
        for (let i = 0; i + 1 < items.length; i += 2) d.items.set(items[i], items[i + 1]);
        stack.push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        dictAt(top()).items.set(k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        if (items.length % 2) fail('SETITEMS with an odd item count');
        const d = dictAt(top());
        for (let i = 0; i < items.length; i += 2) d.items.set(items[i], items[i + 1]);
        break;
      }
      case 0x30: // POP
        if (marks.length > 0 && stack.length === marks[marks.length - 1]) marks.pop();
        else pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x8a: // LONG1
        stack.push(longBytes(take(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(longBytes(take(u32())));
        break;
      case 0x49: // INT
      case 0x4c: // LONG
        stack.push(intLine(line()));
        break;
      case 0x47: // BINFLOAT (big-endian)
        stack.push(view.getFloat64(skip(8), false));
        break;
      case 0x46: {
        // FLOAT
        const f = Number(line());
        stack.push(Number.isNaN(f) ? fail('bad float') : f);
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(text(take(u32())));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(take(u8())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(take(u64())));
        break;
      case 0x54: // BINSTRING (Python 2 str)
        stack.push(latin1.decode(take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1.decode(take(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()));
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64()));
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x70: // PUT
        memo.set(intLine(line()) as number, top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
      case 0x6a: // LONG_BINGET
      case 0x67: {
        // GET
        const key = op === 0x68 ? u8() : op === 0x6a ? u32() : (intLine(line()) as number);
        if (!memo.has(key)) fail(`memo key ${key} is missing`);
        stack.push(memo.get(key));
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL without strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x69: {
        // INST: names a class and instantiates it; check the name first so the error names it
        const module = line();
        global(module, line());
        fail('opcode INST is not allowed');
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = pop();
        if (!isCallable(fn)) fail('REDUCE on something that is not an allowed callable');
        if (!Array.isArray(args)) fail('REDUCE arguments are not a tuple');
        stack.push((fn as PyCallable).call(args as unknown[]));
        break;
      }
      case 0x62: {
        // BUILD: only attribute dicts on dicts (OrderedDict._metadata) are accepted
        const state = pop();
        const obj = top();
        if (!(obj instanceof PyDict) || !(state instanceof PyDict)) {
          fail('BUILD is only allowed to set attributes of an OrderedDict');
        }
        for (const [k, v] of (state as PyDict).items) {
          if (typeof k !== 'string') fail('BUILD state key is not a string');
          (obj as PyDict).attributes.set(k as string, v);
        }
        break;
      }
      case 0x51: // BINPERSID
        stack.push(hooks.persistentLoad(pop()));
        break;
      case 0x50: // PERSID
        stack.push(hooks.persistentLoad(line()));
        break;
      default:
        fail(
          `opcode 0x${op.toString(16).padStart(2, '0')} at byte ${pos - 1} is not allowed (only data-building opcodes are)`,
        );
    }
  }
}

function isCallable(v: unknown): v is PyCallable {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as PyCallable).call === 'function' &&
    'qualifiedName' in v
  );
}
