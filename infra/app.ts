/**
 * The CDK app entry (`cdk.json`: `node infra/app.ts`). Context is described in create-app.ts.
 * A bad configuration file, context value or prop prints one line and exits 2.
 */
import { InputError } from '../functions/errors.ts';
import { createApp } from './create-app.ts';
import { PropsError } from './props-error.ts';

try {
  createApp().app.synth();
} catch (err) {
  if (err instanceof InputError || err instanceof PropsError) {
    console.error(`pci-posture: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
