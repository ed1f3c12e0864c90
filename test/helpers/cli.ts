/** Runs the `pci-posture` command line in-process and keeps what it printed. */
import { type Clients, main } from '../../functions/cli/main.ts';

/** What one command printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `pci-posture <argv>` with `clients` (default: the real ones).
 *
 * @example const r = await runCli(['verify', 's3://archive', '--kms-key-id', keyId], { s3: () => s3, kms: () => kms });
 */
export async function runCli(argv: string[], clients: Partial<Clients> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (t: string) => {
      stdout += t;
    },
    stderr: (t: string) => {
      stderr += t;
    },
  };
  const code = await main(argv, io, clients);
  return { code, stdout, stderr };
}
