// What the tests do to the cluster's PostgreSQL members: cut a leader off from its standbys, cancel
// the commits waiting for them, pause the replicas' replay.
import { type Member, uriAt } from './patroni.js';
import { sql } from './processes.js';

/**
 * SIGSTOPs the leader's WAL senders: its standbys receive nothing more, so its commits wait for a
 * confirmation that does not come, and its WAL goes further than theirs. Returns their PIDs.
 */
export async function freezeWalSenders(leader: Member): Promise<number[]> {
  const senders = await sql<{ pid: number }>(
    uriAt(leader.port, 'postgres'),
    'SELECT pid FROM pg_stat_replication',
  );
  for (const { pid } of senders) process.kill(pid, 'SIGSTOP');
  return senders.map((r) => r.pid);
}

/**
 * Cancels every commit on `leader` waiting for its standby's confirmation, as an operator's
 * pg_cancel_backend would: PostgreSQL then keeps the commit and only warns. Returns how many.
 */
export async function cancelSyncWaits(leader: Member): Promise<number> {
  const [row] = await sql<{ n: number }>(
    uriAt(leader.port, 'postgres'),
    "SELECT count(pg_cancel_backend(pid))::int AS n FROM pg_stat_activity WHERE wait_event = 'SyncRep'",
  );
  return row?.n ?? 0;
}

/** Pauses (or resumes) WAL replay on every replica: they fall behind the leader until resumed. */
export async function setReplay(replicas: Member[], paused: boolean) {
  const fn = paused ? 'pg_wal_replay_pause' : 'pg_wal_replay_resume';
  await Promise.all(replicas.map((m) => sql(uriAt(m.port, 'profiles'), `SELECT ${fn}()`)));
}
