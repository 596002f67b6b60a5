import type { KernelMap } from '@distilbert/core';
import type { GpuBackend } from '../GpuBackend.js';
import { add } from './Add.js';
import { addLayerNorm } from './AddLayerNorm.js';
import { attention } from './Attention.js';
import { batchMatMul } from './BatchMatMul.js';
import { cast } from './Cast.js';
import { gather } from './Gather.js';
import { gelu } from './Gelu.js';
import { layerNorm } from './LayerNorm.js';
import { linear } from './Linear.js';
import { mul } from './Mul.js';
import { relu } from './Relu.js';
import { slice } from './Slice.js';
import { softmax } from './Softmax.js';
import { tanh } from './Tanh.js';
import { transpose } from './Transpose.js';

export function makeKernels(b: GpuBackend): KernelMap {
  return {
    Gather: gather(b),
    BatchMatMul: batchMatMul(b),
    Add: add(b),
    Mul: mul(b),
    LayerNorm: layerNorm(b),
    Gelu: gelu(b),
    Relu: relu(b),
    Tanh: tanh(b),
    Softmax: softmax(b),
    Transpose: transpose(b),
    Slice: slice(b),
    Cast: cast(b),
    Linear: linear(b),
    AddLayerNorm: addLayerNorm(b),
    Attention: attention(b),
  };
}
