import { Add } from './Add.js';
import { AddLayerNorm } from './AddLayerNorm.js';
import { Attention } from './Attention.js';
import { BatchMatMul } from './BatchMatMul.js';
import { Cast } from './Cast.js';
import { Gather } from './Gather.js';
import { Gelu } from './Gelu.js';
import { LayerNorm } from './LayerNorm.js';
import { Linear } from './Linear.js';
import { Mul } from './Mul.js';
import { Relu } from './Relu.js';
import { Slice } from './Slice.js';
import { Softmax } from './Softmax.js';
import { Tanh } from './Tanh.js';
import { Transpose } from './Transpose.js';

/** Every kernel of this backend, by core kernel name (the required set and the three fused ones). */
export const kernels = {
  Gather,
  BatchMatMul,
  Add,
  Mul,
  LayerNorm,
  Gelu,
  Relu,
  Tanh,
  Softmax,
  Transpose,
  Slice,
  Cast,
  Linear,
  AddLayerNorm,
  Attention,
};
