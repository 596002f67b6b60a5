import { CheckpointError } from '../errors.js';
import type { CheckpointFile, StoredDType } from './Checkpoint.js';
import { ITEM_SIZE } from './dtypes.js';
import { plainBytes, readWholeFile } from './readFile.js';
import { type TensorEntry, TensorTable } from './TensorTable.js';
import { type PyCallable, PyDict, unpickle } from './unpickle.js';
import { isZip, StoredZip } from './zip.js';

/** torch's legacy storage classes, as named in persistent ids, and the dtype each holds. */
const STORAGE_DTYPES: Readonly<Record<string, StoredDType>> = {
  FloatStorage: 'F32',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  DoubleStorage: 'F64',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
};

const CONVERT =
  'Convert it to safetensors (e.g. with `safetensors.torch.save_file(torch.load(f), "model.safetensors")`)';

class StorageType implements PyCallable {
  constructor(
    readonly qualifiedName: string,
    readonly dtype: StoredDType,
  ) {}
  call(): never {
    throw new CheckpointError(`the pickle calls ${this.qualifiedName}(), which a state_dict never does.`);
  }
}

/** A storage resolved from a persistent id: the bytes of `<prefix>data/<key>`. */
interface Storage {
  readonly key: string;
  readonly dtype: StoredDType;
  readonly bytes: Uint8Array;
}

/** A tensor produced by _rebuild_tensor(_v2). */
class TensorRef {
  constructor(readonly entry: TensorEntry) {}
}

function callable(qualifiedName: string, call: (args: unknown[]) => unknown): PyCallable {
  return { qualifiedName, call };
}

/**
 * Parses a PyTorch zip checkpoint (torch.save since 1.6) held in memory. The pickle is run by a
 * restricted unpickler that accepts only OrderedDict, the tensor-rebuild functions and the storage
 * classes; anything else (os.system, builtins.eval, …) is refused by name, and nothing is executed.
 */
export function parsePytorchBin(bytes: Uint8Array, file = '<memory>'): TensorTable {
  bytes = plainBytes(bytes);
  const fail = (what: string): never => {
    throw new CheckpointError(what, file);
  };
  if (!isZip(bytes)) {
    if (bytes[0] === 0x80 || isTar(bytes)) {
      fail(
        `the file is in the legacy (pre-1.6, non-zip) PyTorch format, which is not supported. Re-save it with a newer torch (torch.save(torch.load(f), f)) or ${CONVERT[0].toLowerCase()}${CONVERT.slice(1)}.`,
      );
    }
    fail(`not a PyTorch checkpoint (no zip signature). ${CONVERT}.`);
  }
  const zip = new StoredZip(bytes, file);
  const pickles = [...zip.entries.keys()]
    .filter((n) => n === 'data.pkl' || n.endsWith('/data.pkl'))
    .sort((a, b) => a.length - b.length);
  if (pickles.length === 0)
    fail(`the zip has no data.pkl member: it is a zip file but not a torch.save checkpoint.`);
  const prefix = pickles[0].slice(0, -'data.pkl'.length);
  const byteorder = zip.entries.get(`${prefix}byteorder`);
  if (byteorder && new TextDecoder().decode(zip.data(byteorder)).trim() === 'big') {
    fail(`the file was saved on a big-endian machine, which is not supported. ${CONVERT}.`);
  }

  const storages = new Map<string, Storage>();
  const persistentLoad = (pid: unknown): Storage => {
    if (!Array.isArray(pid) || pid.length < 5 || pid[0] !== 'storage') {
      return fail(`the pickle has an unsupported persistent id ${describe(pid)}. ${CONVERT}.`);
    }
    const [, type, key] = pid;
    if (!(type instanceof StorageType))
      return fail(`the pickle has a storage of unknown type ${describe(type)}.`);
    if (typeof key !== 'string')
      return fail(`the pickle has a storage with a non-string key ${describe(key)}.`);
    const known = storages.get(key);
    if (known) {
      if (known.dtype !== type.dtype)
        fail(`the pickle uses storage '${key}' as both ${known.dtype} and ${type.dtype}.`);
      return known;
    }
    const member = zip.entries.get(`${prefix}data/${key}`);
    if (!member)
      return fail(
        `the zip has no member '${prefix}data/${key}' for a storage the pickle uses (truncated file?).`,
      );
    const storage = { key, dtype: type.dtype, bytes: zip.data(member) };
    storages.set(key, storage);
    return storage;
  };

  const rebuild = (name: string) =>
    callable(`torch._utils.${name}`, (args) => {
      const [storage, offset, size, stride] = args;
      if (!storage || typeof storage !== 'object' || !('bytes' in storage)) {
        return fail(`${name} was called without a storage.`);
      }
      return new TensorRef(tensorView(storage as Storage, offset, size, stride, fail));
    });
  const allowed = new Map<string, PyCallable>([
    ['collections.OrderedDict', callable('collections.OrderedDict', () => new PyDict('OrderedDict'))],
    ['torch._utils._rebuild_tensor_v2', rebuild('_rebuild_tensor_v2')],
    ['torch._utils._rebuild_tensor', rebuild('_rebuild_tensor')],
    // A Parameter is its tensor for our purposes; requires_grad and hooks are dropped.
    ['torch._utils._rebuild_parameter', callable('torch._utils._rebuild_parameter', (args) => args[0])],
    [
      'torch._utils._rebuild_parameter_with_state',
      callable('torch._utils._rebuild_parameter_with_state', (args) => args[0]),
    ],
  ]);
  for (const [cls, dtype] of Object.entries(STORAGE_DTYPES)) {
    allowed.set(`torch.${cls}`, new StorageType(`torch.${cls}`, dtype));
  }

  const root = unpickle(
    zip.data(zip.entries.get(pickles[0])!),
    {
      findGlobal(module, name) {
        const found = allowed.get(`${module}.${name}`);
        if (!found) {
          fail(
            `its pickle refers to the global '${module}.${name}', which a weights file never needs (it could run code when loaded in Python). Only tensor-rebuild globals are allowed; nothing was executed. Do not load this file with torch.load; get the weights as safetensors from a source you trust.`,
          );
        }
        return found!;
      },
      persistentLoad,
    },
    file,
  );

  if (!(root instanceof PyDict))
    fail(`the pickle holds ${describe(root)}, not a state_dict. Save model.state_dict().`);
  const entries = new Map<string, TensorEntry>();
  for (const [key, value] of (root as PyDict).items) {
    if (typeof key !== 'string') fail(`the state_dict has a key ${describe(key)} that is not a string.`);
    if (!(value instanceof TensorRef)) {
      fail(
        `entry '${key}' is ${describe(value)}, not a tensor: this is not a plain state_dict. Save model.state_dict() instead.`,
      );
    }
    entries.set(key as string, (value as TensorRef).entry);
  }
  return new TensorTable(file, 'pytorch', Object.freeze({}), entries);
}

function tensorView(
  storage: Storage,
  offset: unknown,
  size: unknown,
  stride: unknown,
  fail: (what: string) => never,
): TensorEntry {
  const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!isCount(offset) || !Array.isArray(size) || !size.every(isCount)) {
    fail(`the pickle has a tensor on storage '${storage.key}' with a bad offset or size.`);
  }
  if (!Array.isArray(stride) || stride.length !== (size as number[]).length || !stride.every(isCount)) {
    fail(`the pickle has a tensor on storage '${storage.key}' with a bad stride.`);
  }
  const shape = size as number[];
  // Contiguous row-major: each stride is the product of the later sizes (dims of size 1 may have any stride).
  let expected = 1;
  let count = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i] !== 1 && (stride as number[])[i] !== expected) {
      fail(
        `the pickle has a non-contiguous tensor (size ${JSON.stringify(shape)}, stride ${JSON.stringify(stride)}) on storage '${storage.key}'. Call .contiguous() on it before saving, or ${CONVERT[0].toLowerCase()}${CONVERT.slice(1)}.`,
      );
    }
    expected *= shape[i];
    count *= shape[i];
  }
  const item = ITEM_SIZE[storage.dtype];
  const begin = (offset as number) * item;
  const end = begin + count * item;
  if (!Number.isSafeInteger(end) || end > storage.bytes.byteLength) {
    fail(
      `the pickle has a tensor of ${count} elements at offset ${offset} in storage '${storage.key}', which holds only ${Math.floor(storage.bytes.byteLength / item)} (truncated file?).`,
    );
  }
  return {
    dtype: storage.dtype,
    shape: Object.freeze(shape.slice()),
    bytes: storage.bytes.subarray(begin, end),
  };
}

function describe(v: unknown): string {
  if (v === null) return 'None';
  if (v instanceof PyDict) return `a ${v.className}`;
  if (Array.isArray(v)) return 'a tuple';
  if (typeof v === 'object') return (v as { qualifiedName?: string }).qualifiedName ?? 'an object';
  return JSON.stringify(v) ?? typeof v;
}

function isTar(bytes: Uint8Array): boolean {
  return bytes.byteLength > 262 && new TextDecoder().decode(bytes.subarray(257, 262)) === 'ustar';
}

/**
 * Opens a pytorch_model.bin (PyTorch zip format). The file is read once into one buffer and the
 * storages are views into it (torch aligns them), so tied weights share bytes and nothing is copied
 * until a tensor is converted.
 */
export async function openPytorchBin(source: string | Uint8Array): Promise<CheckpointFile> {
  if (typeof source !== 'string') return parsePytorchBin(source);
  return parsePytorchBin(await readWholeFile(source), source);
}
