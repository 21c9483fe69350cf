// Model-based convergence under faults, conflict policy "last modified wins" (the master system breaks
// ties): see README.md for what each check proves.
import { databaseLabel } from '../helpers/db.ts';
import { registerConvergenceTests } from './harness/property.ts';

registerConvergenceTests('convergence-lmw', 'last_modified_wins', `random schedules with faults converge to the merge the spec prescribes (last modified wins, ${databaseLabel()})`);
