namespace SlaGrains.Storage.Tests.Conformance;

/// <summary>The grain state the conformance suite writes: a little of everything a real state holds.</summary>
[GenerateSerializer]
[Alias("slagrains.tests.conformance-state")]
public sealed class ConformanceState
{
    [Id(0)]
    public string Text { get; set; } = string.Empty;

    [Id(1)]
    public int Counter { get; set; }

    [Id(2)]
    public byte[] Blob { get; set; } = [];
}
