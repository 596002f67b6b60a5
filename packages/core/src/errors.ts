/** Base class of every error @distilbert/core throws; `code` is stable for programs to branch on. */
export class DistilBertError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A backend was asked for a kernel it does not implement and core has no composite for. */
export class MissingKernelError extends DistilBertError {
  constructor(
    readonly kernelName: string,
    readonly backendName: string,
  ) {
    super(
      'MISSING_KERNEL',
      `Backend '${backendName}' has no kernel '${kernelName}'. Implement it (see @distilbert/core's README, "Writing a backend") or use a backend that has it.`,
    );
  }
}

/** A backend name or package could not be found, loaded or initialised. */
export class BackendError extends DistilBertError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND', message, options);
  }
}

/** Shapes or dtypes passed to an op do not fit together. */
export class ShapeError extends DistilBertError {
  constructor(message: string) {
    super('SHAPE', message);
  }
}

/** A tensor was used after dispose(). */
export class DisposedTensorError extends DistilBertError {
  constructor(what: string) {
    super('DISPOSED', `${what} was used after it was disposed.`);
  }
}

/** config.json is missing fields or has values DistilBERT cannot run with. */
export class ConfigError extends DistilBertError {
  constructor(message: string) {
    super('BAD_CONFIG', message);
  }
}

/** A weight file is malformed, truncated, or does not fit the config. */
export class CheckpointError extends DistilBertError {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super('BAD_CHECKPOINT', file ? `${file}: ${message}` : message);
  }
}

/** Model input the model cannot take (too long, wrong shape, ids out of the vocabulary). */
export class InputError extends DistilBertError {
  constructor(message: string) {
    super('BAD_INPUT', message);
  }
}
