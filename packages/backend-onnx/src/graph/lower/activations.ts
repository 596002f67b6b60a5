import type { Activation } from '@distilbert/core';
import type { Val } from '../GraphBuilder.js';
import type { LowerContext } from './context.js';
import { lowerGelu } from './Gelu.js';
import { lowerRelu } from './Relu.js';
import { lowerTanh } from './Tanh.js';

/** A fused Linear's activation. */
export function lowerActivation(ctx: LowerContext, x: Val, act: Activation): Val {
  switch (act) {
    case 'none':
      return x;
    case 'gelu':
      return lowerGelu(ctx, { x });
    case 'relu':
      return lowerRelu(ctx, { x });
    case 'tanh':
      return lowerTanh(ctx, { x });
  }
}
