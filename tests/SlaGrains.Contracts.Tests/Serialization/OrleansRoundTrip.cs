using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace SlaGrains.Contracts.Tests.Serialization;

/// <summary>
/// Orleans' serializer and deep copier built in-process, as a silo builds them: the Contracts assembly is
/// an application part, so its surrogates and converters are registered.
/// </summary>
internal static class OrleansRoundTrip
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    public static Serializer Serializer { get; } = Services.GetRequiredService<Serializer>();

    public static DeepCopier Copier { get; } = Services.GetRequiredService<DeepCopier>();

    /// <summary>Serializes to bytes and reads back, as grain state or a message between silos would travel.</summary>
    public static T ThroughBytes<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    /// <summary>Copies the way Orleans copies arguments and state within a silo.</summary>
    public static T ThroughCopier<T>(T value) => Copier.Copy(value)!;

    /// <summary>Both ways: the value as read back from bytes and as deep-copied.</summary>
    public static IEnumerable<(string Way, T Value)> BothWays<T>(T value)
    {
        yield return ("bytes", ThroughBytes(value));
        yield return ("copier", ThroughCopier(value));
    }
}
