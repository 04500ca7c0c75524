using System.Globalization;

namespace SlaGrains.Grains;

/// <summary>
/// The version a grain's read-model rows carry: the write count of its durable state. Both of SlaGrains' stores use
/// that count as the ETag, which is what start-up compares with the rows to find those that lag.
/// </summary>
internal static class StateVersion
{
    /// <summary>The write count of <paramref name="state"/>'s last write.</summary>
    /// <exception cref="InvalidOperationException">When the storage's ETag is not a write count (a storage other than ours).</exception>
    public static long Of<T>(IPersistentState<T> state, string grain)
    {
        ArgumentNullException.ThrowIfNull(state);
        return long.TryParse(state.Etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new InvalidOperationException($"{grain}: the grain storage's ETag '{state.Etag}' is not a write count; the read model needs SlaGrains' SQLite or PostgreSQL storage.");
    }
}
