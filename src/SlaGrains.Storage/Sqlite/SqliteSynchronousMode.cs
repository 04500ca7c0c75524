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
/// The writer commits queued writes in groups, so one fsync is paid per group, not per write. Measured on the
/// 2-core development machine (<c>SLAGRAINS_MEASURE=1 dotnet test tests/SlaGrains.Storage.Tests --filter
/// "FullyQualifiedName~SqliteSynchronousMeasurement"</c>): see the figures recorded in
/// <c>SqliteSynchronousMeasurement</c>; FULL stays above the 5,000 durable writes/s goal, so it is the default.
/// </para>
/// </remarks>
public enum SqliteSynchronousMode
{
    /// <summary><c>synchronous=NORMAL</c>: acknowledged writes survive a process crash, the last ones may be lost on power loss.</summary>
    Normal = 1,

    /// <summary><c>synchronous=FULL</c>: acknowledged writes survive a process crash and a power loss. The default.</summary>
    Full = 2,
}
