/**
 * Vitest globalSetup: one moto server (the AWS emulator) for the whole test run, on a free port
 * of 127.0.0.1. Tests reach it through `inject('motoEndpoint')` (see test/helpers/moto.ts).
 */
import type { TestProject } from 'vitest/node';
import { startMotoServer } from '../helpers/moto-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `http://127.0.0.1:<port>` of the moto server. */
    motoEndpoint: string;
  }
}

export default async function startMoto(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMotoServer({ MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' });
  project.provide('motoEndpoint', moto.url);
  return moto.stop;
}
