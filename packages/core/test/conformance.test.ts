import type { KernelBackend } from '@distilbert/core';
import { createReferenceBackend, runConformance } from '@distilbert/core/testing';

// The reference runs the kit on itself: kernel by kernel with core's composites for the fused kernels,
// then with its own fused kernels, which the kit checks against those composites (the quick case subset
// suffices there: the fused path only changes the encoder, which every case exercises).
runConformance(() => createReferenceBackend(), { name: 'reference' });
runConformance(() => createReferenceBackend({ fused: true }), { name: 'reference (fused)', quick: true });

// A partial backend (no Gelu yet) passes by declaring what it skips; those tests show up as skipped.
function withoutGelu(): KernelBackend {
  const b = createReferenceBackend({ name: 'partial' });
  const { Gelu: _, ...kernels } = b.kernels;
  return { ...b, kernels };
}
runConformance(withoutGelu, {
  name: 'partial backend',
  skip: { kernels: ['Gelu'], fixtures: true, reason: 'Gelu not written yet' },
});
