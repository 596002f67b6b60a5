import type { KernelName } from '@distilbert/core';
import type { Val } from '../GraphBuilder.js';
import { lowerAdd } from './Add.js';
import { lowerAddLayerNorm } from './AddLayerNorm.js';
import { lowerAttention } from './Attention.js';
import { lowerBatchMatMul } from './BatchMatMul.js';
import { lowerCast } from './Cast.js';
import type { LowerContext } from './context.js';
import { lowerGather } from './Gather.js';
import { lowerGelu } from './Gelu.js';
import { lowerLayerNorm } from './LayerNorm.js';
import { lowerLinear } from './Linear.js';
import { lowerMul } from './Mul.js';
import { lowerRelu } from './Relu.js';
import { lowerSlice } from './Slice.js';
import { lowerSoftmax } from './Softmax.js';
import { lowerTanh } from './Tanh.js';
import { lowerTranspose } from './Transpose.js';

export type { LowerContext } from './context.js';

type AnyLowering = (ctx: LowerContext, inputs: Record<string, Val>, attrs: never) => Val;

/** Every kernel of core's set (required and fused) as ONNX nodes. */
export const LOWERINGS: Readonly<Record<KernelName, AnyLowering>> = {
  Gather: (c, i) => lowerGather(c, i as { x: Val; indices: Val }),
  BatchMatMul: (c, i, a) => lowerBatchMatMul(c, i as { a: Val; b: Val }, a),
  Add: (c, i) => lowerAdd(c, i as { a: Val; b: Val }),
  Mul: (c, i) => lowerMul(c, i as { a: Val; b: Val }),
  LayerNorm: (c, i, a) => lowerLayerNorm(c, i as { x: Val; gamma: Val; beta: Val }, a),
  Gelu: (c, i) => lowerGelu(c, i as { x: Val }),
  Relu: (c, i) => lowerRelu(c, i as { x: Val }),
  Tanh: (c, i) => lowerTanh(c, i as { x: Val }),
  Softmax: (c, i) => lowerSoftmax(c, i as { x: Val; mask?: Val }),
  Transpose: (c, i, a) => lowerTranspose(c, i as { x: Val }, a),
  Slice: (c, i, a) => lowerSlice(c, i as { x: Val }, a),
  Cast: (c, i, a) => lowerCast(c, i as { x: Val }, a),
  Linear: (c, i, a) => lowerLinear(c, i as { x: Val; weight: Val; bias?: Val }, a),
  AddLayerNorm: (c, i, a) => lowerAddLayerNorm(c, i as { x: Val; residual: Val; gamma: Val; beta: Val }, a),
  Attention: (c, i, a) => lowerAttention(c, i as { q: Val; k: Val; v: Val; mask: Val }, a),
};
