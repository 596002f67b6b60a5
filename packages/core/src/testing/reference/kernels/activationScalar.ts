import type { Activation } from '../../../backend/kernels.js';
import { geluScalar } from './Gelu.js';
import { reluScalar } from './Relu.js';

export function activationScalar(act: Activation): (v: number) => number {
  switch (act) {
    case 'gelu':
      return geluScalar;
    case 'relu':
      return reluScalar;
    case 'tanh':
      return Math.tanh;
    case 'none':
      return (v) => v;
  }
}
