using SlaGrains.Contracts.Escalations;

namespace SlaGrains.Grains.Escalations;

/// <summary>A customer's escalation rules and log; the log is keyed by the alert's de-duplication key.</summary>
[GenerateSerializer]
[Alias("slagrains.escalation-state")]
public sealed class EscalationState
{
    /// <summary>The rules in force.</summary>
    [Id(0)]
    public List<EscalationRule> Rules { get; set; } = [];

    /// <summary>Escalations by alert key (ticket/metric/threshold/cycle), in the order raised.</summary>
    [Id(1)]
    public List<EscalationView> Log { get; set; } = [];
}
