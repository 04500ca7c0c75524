namespace SlaGrains.Ui.Services;

/// <summary>Now on the SLA clock (the server provides it; pages never read the machine's clock).</summary>
public interface ISlaNow
{
    /// <summary>The current instant.</summary>
    Instant Now { get; }
}
