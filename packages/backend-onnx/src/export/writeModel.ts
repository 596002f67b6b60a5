import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type ModelProto, onnx, type TensorProto } from '../graph/proto.js';

/** Protobuf cannot encode a message over 2 GiB: bigger models keep their weights in a side file. */
export const EXTERNAL_DATA_THRESHOLD = 2 ** 31 - 2 ** 24;

export interface WriteOptions {
  /** 'auto' (default): external data only when the weights would not fit in the protobuf. */
  externalData?: 'auto' | boolean;
}

/**
 * Writes `model` to `path`. With external data, every initializer of 1 KiB or more goes to `<file>_data`
 * (ONNX's external data format: location, offset, length), 4 KiB-aligned as onnx's own writer does.
 */
export function writeModel(model: ModelProto, path: string, options: WriteOptions = {}): string[] {
  mkdirSync(dirname(path), { recursive: true });
  const inits = model.graph?.initializer ?? [];
  const total = inits.reduce((n, t) => n + (t.rawData?.byteLength ?? 0), 0);
  const external =
    options.externalData === true || (options.externalData !== false && total > EXTERNAL_DATA_THRESHOLD);
  if (!external) {
    writeFileSync(path, onnx.ModelProto.encode(model).finish());
    return [path];
  }
  const dataFile = `${basename(path)}_data`;
  const fd = openSync(join(dirname(path), dataFile), 'w');
  let offset = 0;
  const moved: TensorProto[] = [];
  try {
    for (const t of inits) {
      const raw = t.rawData;
      if (!raw || raw.byteLength < 1024) {
        moved.push(t);
        continue;
      }
      const pad = (4096 - (offset % 4096)) % 4096;
      if (pad) writeSync(fd, new Uint8Array(pad));
      offset += pad;
      writeSync(fd, raw);
      moved.push({
        ...t,
        rawData: new Uint8Array(0),
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: dataFile },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(raw.byteLength) },
        ],
      });
      offset += raw.byteLength;
    }
  } finally {
    closeSync(fd);
  }
  const slim = onnx.ModelProto.create({ ...model, graph: { ...model.graph, initializer: moved } });
  writeFileSync(path, onnx.ModelProto.encode(slim).finish());
  return [path, join(dirname(path), dataFile)];
}
