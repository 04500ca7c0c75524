using SlaGrains.Contracts.Incidents;
using SlaGrains.Domain.Monitors;

namespace SlaGrains.Application.Incidents;

/// <summary>
/// What open manual incidents do to the status people are shown, in one place: a major outage shows its components
/// down, a partial outage <c>partial_outage</c>, a degradation <c>degraded</c> — never better than what the monitors
/// say. The customer's status becomes an outage when a critical component has a major outage, else at least degraded.
/// </summary>
/// <remarks>
/// Manual incidents are communication, as on commercial status pages: they change the words shown, never availability,
/// error budgets, burn rates or credits, which come from monitoring alone.
/// </remarks>
public static class ManualIncidentStatus
{
    /// <summary>The component status word of a partial outage.</summary>
    public const string PartialOutage = "partial_outage";

    /// <summary>The component status word of a degradation.</summary>
    public const string Degraded = "degraded";

    /// <summary>The worst impact of the open incidents on each component they name (by monitor id).</summary>
    public static IReadOnlyDictionary<string, IncidentImpact> Worst(IEnumerable<ManualIncidentView> incidents)
    {
        ArgumentNullException.ThrowIfNull(incidents);
        var worst = new Dictionary<string, IncidentImpact>(StringComparer.Ordinal);
        foreach (var incident in incidents.Where(i => i.IsOpen))
        {
            foreach (var component in incident.Components.IsDefault ? [] : incident.Components)
            {
                if (!worst.TryGetValue(component, out var seen) || incident.Impact > seen)
                {
                    worst[component] = incident.Impact;
                }
            }
        }

        return worst;
    }

    /// <summary>
    /// A component's status word with an open manual incident's <paramref name="impact"/> (null: none) over what its
    /// monitor says (<c>up</c>, <c>down</c>, <c>maintenance</c>, <c>unknown</c>): never better than the monitor's.
    /// </summary>
    public static string Component(string monitorStatus, IncidentImpact? impact) => impact switch
    {
        IncidentImpact.MajorOutage => "down",
        IncidentImpact.PartialOutage when monitorStatus != "down" => PartialOutage,
        IncidentImpact.Degraded when monitorStatus is not ("down" or PartialOutage) => Degraded,
        _ => monitorStatus,
    };

    /// <summary>
    /// The customer's status word and sentence with the open manual incidents: <c>outage</c> when one is a major
    /// outage of a critical component, else at least <c>degraded</c>; the monitors' status when it is worse. The sentence
    /// names the worst incident, e.g. <c>Major outage: Payments failing</c>. A customer without monitors keeps its status.
    /// </summary>
    /// <param name="status">The monitors' status word (<c>operational</c>, <c>unknown</c>, <c>maintenance</c>, <c>degraded</c>, <c>outage</c>, <c>no_monitors</c>).</param>
    /// <param name="message">Its sentence.</param>
    /// <param name="critical">Whether a component (by monitor id) is critical.</param>
    /// <param name="incidents">The customer's manual incidents (resolved ones are ignored).</param>
    public static (string Status, string Message) Customer(string status, string message, Func<string, bool> critical, IEnumerable<ManualIncidentView> incidents)
    {
        ArgumentNullException.ThrowIfNull(critical);
        ArgumentNullException.ThrowIfNull(incidents);
        var open = incidents.Where(i => i.IsOpen).OrderByDescending(i => i.Impact).ThenByDescending(i => i.OpenedAt).ToList();
        if (open.Count == 0 || status == "no_monitors")
        {
            return (status, message);
        }

        var outage = open.FirstOrDefault(i => i.Impact == IncidentImpact.MajorOutage && i.Components.Any(critical));
        var (word, worst) = outage is not null ? ("outage", outage) : ("degraded", open[0]);
        return Rank(word) > Rank(status) ? (word, $"{IncidentWords.ImpactLabel(IncidentWords.Impact(worst.Impact))}: {worst.Title}") : (status, message);
    }

    private static int Rank(string status) => status switch
    {
        "outage" => 4,
        "degraded" => 3,
        "maintenance" => 2,
        "unknown" => 1,
        _ => 0,
    };
}
