// Model-based convergence under faults, conflict policy "master system" (Salesforce or the PRM as master,
// drawn per schedule): see README.md for what each check proves.
import { databaseLabel } from '../helpers/db.ts';
import { registerConvergenceTests } from './harness/property.ts';

registerConvergenceTests('convergence-master', 'master_system', `random schedules with faults converge to the merge the spec prescribes (master system, ${databaseLabel()})`);
