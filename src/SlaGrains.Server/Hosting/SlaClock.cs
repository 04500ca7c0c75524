using SlaGrains.Grains;

namespace SlaGrains.Server.Hosting;

/// <summary>The SLA clock as the web layer reads it: the same keyed <see cref="TimeProvider"/> the grains use.</summary>
public sealed class SlaClock([FromKeyedServices(SlaTime.Key)] TimeProvider time) : ISlaNow
{
    /// <summary>Now, on the SLA clock.</summary>
    public Instant Now => Instant.FromDateTimeOffset(time.GetUtcNow());
}
