namespace SlaGrains.Storage.CrashWriter;

/// <summary>
/// A state whose parts must agree: <see cref="Payload"/> is a pure function of <see cref="Counter"/>, so a
/// torn write (half old, half new) is detectable after a crash.
/// </summary>
[GenerateSerializer]
[Alias("slagrains.tests.crash-state")]
public sealed class CrashState
{
    [Id(0)]
    public int Counter { get; set; }

    [Id(1)]
    public byte[] Payload { get; set; } = [];

    /// <summary>The payload that belongs to <paramref name="counter"/>: 4 KiB, different for every counter.</summary>
    public static byte[] PayloadFor(string grain, int counter)
    {
        var payload = new byte[4096];
        new Random(StableSeed(grain) ^ (counter * 16_777_619)).NextBytes(payload);
        return payload;
    }

    // string.GetHashCode is randomised per process; the writer and the checker are different processes.
    private static int StableSeed(string text)
    {
        var hash = 2_166_136_261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16_777_619u;
        }

        return (int)hash;
    }
}
