namespace SlaGrains.Application;

/// <summary>Now on the SLA clock (the host provides it from the injected time; nothing here reads the machine's clock).</summary>
public interface ISlaNow
{
    /// <summary>The current instant.</summary>
    Instant Now { get; }
}
