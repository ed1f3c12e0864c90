#!/usr/bin/env node
// The `pci-posture` command. Node 24 runs this TypeScript directly (type stripping).
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
