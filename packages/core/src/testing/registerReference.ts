import { registerBackend } from '../backend/registry.js';
import { createReferenceBackend } from './reference/ReferenceBackend.js';

/** Registers the float64 reference backend as 'reference' (lowest priority: never chosen by default over a real one). */
export function registerReferenceBackend(): void {
  registerBackend('reference', (options) => createReferenceBackend(options), 0);
}
