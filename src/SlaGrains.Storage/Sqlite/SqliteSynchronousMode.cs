namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// SQLite's <c>PRAGMA synchronous</c> for the writer connection; the database always runs in WAL mode.
/// </summary>
/// <remarks>
/// <para>
/// In WAL mode a committed transaction has been written to the <c>-wal</c> file (the operating system holds it)
/// before <c>COMMIT</c> returns, whatever this setting: a process crash (SIGKILL, an unhandled exception)
/// never loses an acknowledged write. The setting decides what a power loss or kernel crash can lose:
/// </para>
/// <list type="bullet">
/// <item><description><see cref="Full"/>: the WAL is fsync'ed at every commit, so an acknowledged write also survives a power loss.</description></item>
/// <item><description><see cref="Normal"/>: the WAL is fsync'ed only at checkpoints; a power loss may lose the last
/// committed transactions (the database stays consistent, it just rolls back to an earlier commit).</description></item>
/// </list>
/// <para>
/// The writer commits queued writes in groups, so one fsync is paid per group, not per write. The storage benchmark
/// measures both modes side by side through a silo with 1,000 grains writing concurrently:
/// <c>dotnet run -c Release --project bench/SlaGrains.Bench -- storage --stores sqlite</c>. On the 2-core development
/// machine (ext4) FULL gave about 38,000 and NORMAL about 45,000 durable grain writes/s; one write at a time, FULL
/// costs 0.23–0.27 ms and NORMAL 0.04–0.05 ms.
/// </para>
/// <para>
/// An fsync of 0.2–0.3 ms suggests this machine's disk acknowledges flushes from a write cache; on a disk with a
/// slower honest flush, one-at-a-time FULL writes slow down in proportion, while grouped writes still share one flush.
/// </para>
/// <para>
/// Group commit keeps FULL well above the 5,000 durable writes/s goal under concurrent load, so FULL is the default:
/// a 2xx then means committed even across a power loss. NORMAL is the choice when the disk's fsync is slow and losing
/// the last moments of acknowledged writes on power loss (never on a process crash) is acceptable.
/// </para>
/// </remarks>
public enum SqliteSynchronousMode
{
    /// <summary><c>synchronous=NORMAL</c>: acknowledged writes survive a process crash, the last ones may be lost on power loss.</summary>
    Normal = 1,

    /// <summary><c>synchronous=FULL</c>: acknowledged writes survive a process crash and a power loss. The default.</summary>
    Full = 2,
}
