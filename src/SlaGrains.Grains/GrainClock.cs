namespace SlaGrains.Grains;

/// <summary>Grains read time only through the injected <see cref="TimeProvider"/> (a fake one in tests).</summary>
internal static class GrainClock
{
    public static Instant Now(this TimeProvider time) => Instant.FromDateTimeOffset(time.GetUtcNow());
}
