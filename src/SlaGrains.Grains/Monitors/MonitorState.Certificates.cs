namespace SlaGrains.Grains.Monitors;

/// <summary>A tls monitor's certificate watch (in a file of its own: the kinds grow the state side by side).</summary>
public sealed partial class MonitorState
{
    /// <summary>The certificates a tls monitor's probes saw and warned about; null for other kinds and in older state.</summary>
    [Id(60)]
    public CertificateWatch? Certificate { get; set; }
}
