/**
 * Named errors. Each keeps its `cause`, and the CLI maps each class to an exit code
 * (CONTRACTS §4): input problems exit 2, failures while running exit 3.
 */

/**
 * A file the user gave us is wrong: names the file, the place in it and what is wrong.
 *
 * @example throw new InputError('inv.json', '$.resources[2].type', 'expected a string');
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly file: string;
  readonly where: string;
  readonly problem: string;
  constructor(file: string, where: string, problem: string, options?: { cause?: unknown }) {
    super(`${file}: ${where ? `${where}: ` : ''}${problem}`, options);
    this.file = file;
    this.where = where;
    this.problem = problem;
  }
}

/**
 * The command line is wrong (an option missing, two that exclude each other, a signer that does
 * not match the archive).
 *
 * @example throw new UsageError('--public-key or --kms-key-id is required');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Storage or signing failed while a run was being written. Nothing that looks complete is left.
 *
 * @example throw new RunFailure('could not write SHA256SUMS', { cause: err });
 */
export class RunFailure extends Error {
  override readonly name = 'RunFailure';
}

/**
 * An error's name and message, for wrapping it in a message of our own (AWS SDK errors carry
 * the service's error code as the name and no credentials).
 *
 * @example errorText(err) // 'ThrottlingException: Rate exceeded'
 */
export function errorText(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

/**
 * The exit code for an error thrown by a command: 2 for bad input or usage, 3 otherwise.
 *
 * @example exitCodeFor(new InputError('inv.json', '$.errors', 'expected an array')) // 2
 */
export function exitCodeFor(error: unknown): 2 | 3 {
  return error instanceof InputError || error instanceof UsageError ? 2 : 3;
}
