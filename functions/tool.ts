/** The tool's own name and version, as reports record them. */
import pkg from '../package.json' with { type: 'json' };

export const TOOL = { name: 'pci-posture', version: pkg.version } as const;
