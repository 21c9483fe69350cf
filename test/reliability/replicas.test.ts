// Replicas: several middleware instances with the same schedules on one database. Each job holds a
// PostgreSQL advisory lock for the whole run (middleware/jobs/advisory-lock.ts), so it runs at most once at
// a time across them; a holder that dies frees the lock with its session. On PostgreSQL the instances are
// separate processes (replicas/replica-process.ts) and one is SIGKILLed mid-run; PGlite is one process by
// nature, so there two scheduler instances share the test's process and its database, and a holder's run
// fails mid-way instead. The jobs are the real runners over the real engines, against the emulated org.
// test/web/scheduler.test.ts covers the scheduler's single-process behaviour with stand-in runners.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { databaseLabel } from '../helpers/db.ts';
import { startEmulator, type RunningEmulator } from '../sf-emulator/index.ts';
import { openSharedDatabase, type SharedDatabase } from './crash/database.ts';
import { watchRequests } from './crash/supervisor.ts';
import { addOrganizations, checkConverged, recordedRuns, reportedOverlaps, salesforceOf, seedReplicaWorld } from './replicas/checks.ts';
import { inProcessInstance, spawnReplica, waitFor, type Instance } from './replicas/instances.ts';
import type { ReplicaSettings } from './replicas/replica.ts';

let shared: SharedDatabase;
before(async () => {
  shared = await openSharedDatabase();
});
after(() => shared.dispose());

// The same switch test/helpers/db.ts and crash/database.ts follow.
const onPostgres = Boolean(process.env.DATABASE_URL);

const ALL_SCHEDULES: ReplicaSettings['ticks'] = [
  { schedule: 'incremental_sync', tickMs: 100 },
  { schedule: 'deal_import', tickMs: 150 },
  { schedule: 'full_reconcile', tickMs: 500 },
];
const SYNC_ONLY: ReplicaSettings['ticks'] = [{ schedule: 'incremental_sync', tickMs: 100 }];

/** Two instances, as processes on PostgreSQL or side by side in this process on PGlite. */
async function startInstances(emulator: RunningEmulator, ticks: ReplicaSettings['ticks']): Promise<Instance[]> {
  const settings = (name: string): ReplicaSettings => ({ name, database: shared.config, salesforce: salesforceOf(emulator), ticks });
  if (onPostgres) return Promise.all(['replica-a', 'replica-b'].map((name) => spawnReplica(settings(name))));
  const db = await shared.db();
  return ['instance-a', 'instance-b'].map((name) => inProcessInstance(db, settings(name)));
}

/** Runs `work` with two instances and stops them whatever happens (a failed assertion must not leave cron tasks behind). */
async function withInstances(emulator: RunningEmulator, ticks: ReplicaSettings['ticks'], work: (instances: Instance[]) => Promise<void>): Promise<void> {
  const instances = await startInstances(emulator, ticks);
  try {
    await work(instances);
  } finally {
    await Promise.all(instances.map((instance) => instance.stop()));
  }
}

const runsOf = (instance: Instance, job: string, status?: string) => instance.events.filter((e) => e.event === 'run-finished' && e.job === job && (!status || e.status === status)).length;
const busyOf = (instance: Instance, job: string, from = 0, to = Infinity) => instance.events.filter((e) => e.event === 'busy' && e.job === job && e.at >= from && e.at <= to).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const describeRuns = (instances: readonly Instance[]) => instances.map((i) => `${i.name}: ${runsOf(i, 'accounts_contacts')} sync, ${runsOf(i, 'deals')} deal runs, ${busyOf(i, 'accounts_contacts') + busyOf(i, 'deals')} busy`).join('; ');

async function withEmulator(seed: string, work: (emulator: RunningEmulator) => Promise<void>): Promise<void> {
  // A little latency per request, so that runs last long enough for the instances to meet at the lock.
  const emulator = await startEmulator({ port: 0, size: 0, users: 0, seed, latencyMs: 15 });
  try {
    await work(emulator);
  } finally {
    await emulator.close();
  }
}

const what = onPostgres ? 'two replica processes on one PostgreSQL' : 'two scheduler instances in one process on one PGlite database';

test(`${what}, the same schedules ticking, users adding partners: each job runs once at a time, sync_runs never overlap, one consistent result (${databaseLabel()})`, async (t) => {
  await withEmulator('replicas-concurrent', async (emulator) => {
    const db = await shared.db();
    await seedReplicaWorld(db, emulator, 6, 3);
    await withInstances(emulator, ALL_SCHEDULES, async (instances) => {
      // Until both have run both jobs a few times and found the lock taken by the other.
      const enough = () => instances.every((i) => runsOf(i, 'accounts_contacts') >= 3 && runsOf(i, 'deals') >= 2 && busyOf(i, 'accounts_contacts') + busyOf(i, 'deals') >= 1);
      const deadline = Date.now() + 45_000;
      for (let added = 0; !enough() && Date.now() < deadline; added++) {
        if (added < 12) await addOrganizations(db, 1);
        await sleep(250);
      }
      await Promise.all(instances.map((i) => i.stop()));
      t.diagnostic(`${describeRuns(instances)} in ${Date.now() - deadline + 45_000} ms`);
      assert.deepEqual(instances.map((i) => i.failure()), [null, null]);
      assert.ok(enough(), `the instances did not both run and meet at the lock: ${describeRuns(instances)}`);
      assert.deepEqual(reportedOverlaps(instances), []);
      const recorded = await recordedRuns(db, null);
      assert.deepEqual(recorded.problems, []);
      if (onPostgres) {
        // Both processes wrote run records (instance = host:pid), so the lock really was shared between them.
        const owners = new Set(recorded.intervals.filter((r) => r.job === 'accounts_contacts').map((r) => r.owner));
        assert.equal(owners.size, 2, `sync runs by ${[...owners].join(', ')}`);
      }
    });
    assert.deepEqual(await checkConverged(db, emulator), []);
  });
});

if (onPostgres) {
  test(`a replica SIGKILLed while it holds the sync's lock mid-run: PostgreSQL drops its session and lock, the other replica takes the job over on its next tick (${databaseLabel()})`, async (t) => {
    await withEmulator('replicas-kill', async (emulator) => {
      const db = await shared.db();
      await seedReplicaWorld(db, emulator, 3, 1);
      await withInstances(emulator, SYNC_ONLY, async (instances) => {
        assert.ok(await waitFor(() => instances.every((i) => runsOf(i, 'accounts_contacts') >= 1), 30_000), `both replicas run: ${describeRuns(instances)}`);
        // New partners to create; the holder's upsert is held up three seconds, and the holder killed one
        // second into it — mid-write, and long enough that the other replica (ticking every 100–200 ms)
        // must have found the lock taken, however quickly the run got to its upsert.
        await addOrganizations(db, 5);
        const held = emulator.faults.delay(3000, { label: 'collections.upsert', times: 1 });
        const watcher = watchRequests(emulator);
        let victim: Instance | undefined;
        let arrived = false;
        let killedAt = 0;
        watcher.set((request) => {
          if (request.label !== 'collections.upsert' || arrived) return;
          arrived = true;
          victim = instances.find((i) => i.holding('accounts_contacts'));
          setTimeout(() => {
            killedAt = Date.now();
            void victim?.kill();
          }, 1000);
      });
      try {
        assert.ok(await waitFor(() => killedAt > 0, 30_000), 'no upsert reached Salesforce');
      } finally {
        watcher.set(null);
        held.remove();
      }
      assert.ok(victim, 'no replica held the sync when its upsert arrived');
      await victim.kill();
      const survivor = instances.find((i) => i !== victim) as Instance;
      const victimStart = victim.events.filter((e) => e.event === 'run-started').at(-1)?.at ?? killedAt;
      assert.ok(busyOf(survivor, 'accounts_contacts', victimStart, killedAt) >= 1, 'the other replica found the lock taken while the victim held it');
      const takeover = () => survivor.events.find((e) => e.event === 'run-started' && e.job === 'accounts_contacts' && e.at >= killedAt);
      assert.ok(await waitFor(() => takeover() !== undefined, 10_000), `no takeover after the kill: ${describeRuns(instances)}`);
      const delayMs = (takeover()?.at ?? 0) - killedAt;
      t.diagnostic(`${survivor.name} found the lock taken ${busyOf(survivor, 'accounts_contacts', victimStart, killedAt)} times while ${victim.name} held it, and took over ${delayMs} ms after the kill`);
      assert.ok(delayMs < 3000, `the takeover waited ${delayMs} ms`);
      assert.ok(await waitFor(() => survivor.events.some((e) => e.event === 'run-finished' && e.job === 'accounts_contacts' && e.at > killedAt && e.status === 'succeeded'), 30_000), 'the takeover run did not succeed');
      await survivor.stop();
      assert.equal(survivor.failure(), null);
      assert.deepEqual(reportedOverlaps(instances, new Map([[victim.name, killedAt]])), []);
      const recorded = await recordedRuns(db, killedAt);
      assert.deepEqual(recorded.problems, []);
      assert.equal(recorded.open, 1, 'the killed run stays recorded as running (its process is gone)');
      });
      assert.deepEqual(await checkConverged(db, emulator), []);
    });
  });
} else {
  test(`an instance whose run fails mid-way (Salesforce refuses its upsert call) frees the job: the other instance takes it over on its next tick (${databaseLabel()})`, async (t) => {
    await withEmulator('replicas-abort', async (emulator) => {
      const db = await shared.db();
      await seedReplicaWorld(db, emulator, 3, 1);
      await withInstances(emulator, SYNC_ONLY, async (instances) => {
        assert.ok(await waitFor(() => instances.every((i) => runsOf(i, 'accounts_contacts') >= 1), 30_000), `both instances run: ${describeRuns(instances)}`);
        await addOrganizations(db, 5);
        // Salesforce refuses the upsert call outright (not a fault worth retrying): the run fails there —
        // after holding the call up a second, so that the other instance (ticking every 100–200 ms) must
        // find the job taken while the run holds it, however quickly the run got to its upsert.
        emulator.faults.delay(1000, { label: 'collections.upsert', times: 1 });
        emulator.faults.status(400, { label: 'collections.upsert', times: 1 }, [{ message: 'The org is being maintained; try again later.', errorCode: 'INVALID_OPERATION' }]);
        const failedRun = () => instances.flatMap((i) => i.events.filter((e) => e.event === 'run-finished' && e.status === 'failed').map((e) => ({ instance: i, at: e.at })))[0];
        assert.ok(await waitFor(() => failedRun() !== undefined, 30_000), `no run failed: ${describeRuns(instances)}`);
        const { instance: holder, at: failedAt } = failedRun() as { instance: Instance; at: number };
        await holder.stop(); // it ticks no more: only the other instance can take the job over
        const survivor = instances.find((i) => i !== holder) as Instance;
        const holderStart = holder.events.filter((e) => e.event === 'run-started' && e.at <= failedAt).at(-1)?.at ?? failedAt;
        assert.ok(busyOf(survivor, 'accounts_contacts', holderStart, failedAt) >= 1, 'the other instance found the job taken while the failing run held it');
        const takeover = () => survivor.events.find((e) => e.event === 'run-started' && e.at >= failedAt);
        assert.ok(await waitFor(() => takeover() !== undefined, 10_000), `no takeover after the failure: ${describeRuns(instances)}`);
        const delayMs = (takeover()?.at ?? 0) - failedAt;
        t.diagnostic(`${survivor.name} found the job taken ${busyOf(survivor, 'accounts_contacts', holderStart, failedAt)} times while ${holder.name}'s run held it, and took over ${delayMs} ms after it failed`);
        assert.ok(delayMs < 3000, `the takeover waited ${delayMs} ms`);
        assert.ok(await waitFor(() => survivor.events.some((e) => e.event === 'run-finished' && e.at > failedAt && e.status === 'succeeded'), 30_000), 'the takeover run did not succeed');
        await survivor.stop();
        assert.deepEqual(reportedOverlaps(instances), []);
        const recorded = await recordedRuns(db, null);
        assert.deepEqual(recorded.problems, []);
        const failed = await db('sync_runs').where({ job: 'accounts_contacts', status: 'failed' }).first();
        assert.ok(failed?.finished_at && failed.error, 'the failed run is recorded as failed, with its reason');
      });
      assert.deepEqual(await checkConverged(db, emulator), []);
    });
  });
}
