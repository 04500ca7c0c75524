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
/// The writer commits queued writes in groups, so one fsync is paid per group, not per write. Measured through
/// the provider on a real file (ext4, the 2-core development machine, 10,000 grains written twice with 256 writes
/// in flight, then 500 writes one at a time; two runs), with
/// <c>SLAGRAINS_MEASURE=1 dotnet test tests/SlaGrains.Storage.Tests --filter "FullyQualifiedName~SqliteSynchronousMeasurement" --logger "console;verbosity=detailed"</c>:
/// </para>
/// <list type="table">
/// <listheader><term>mode</term><description>256 in flight; one at a time</description></listheader>
/// <item><term>FULL</term><description>36,844 writes/s (binary serializer; 13,051 and 32,582 in two earlier runs with the JSON serializer); 0.23–0.27 ms per write (3,700–4,300 writes/s)</description></item>
/// <item><term>NORMAL</term><description>40,146 writes/s (45,655 and 46,119 with JSON); 0.04–0.05 ms per write (19,000–23,000 writes/s)</description></item>
/// </list>
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
