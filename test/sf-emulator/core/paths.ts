// Where the emulator finds its inputs, resolved from this file so the repository may be cloned under any
// name: the repository root is two levels above test/sf-emulator, and ../shared sits beside it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const emulatorDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(emulatorDir, '..', '..');
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const describeDataDir = path.join(sharedDir, 'data', 'salesforce-describe');
export const forceAppObjectsDir = path.join(repoRoot, 'force-app', 'main', 'default', 'objects');
