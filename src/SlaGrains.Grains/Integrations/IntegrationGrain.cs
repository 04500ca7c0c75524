using SlaGrains.Contracts.Integrations;

namespace SlaGrains.Grains.Integrations;

/// <summary>A ticket source's configuration: written by admins and managers, read by each sync request.</summary>
public sealed class IntegrationGrain([PersistentState("integration")] IPersistentState<IntegrationState> state) : Grain, IIntegrationGrain
{
    /// <inheritdoc />
    public Task<IntegrationSettings?> Get() => Task.FromResult(state.State.Settings);

    /// <inheritdoc />
    public async Task Set(IntegrationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        state.State.Settings = settings;
        await state.WriteStateAsync();
    }
}

/// <summary>The stored configuration.</summary>
[GenerateSerializer]
[Alias("slagrains.integration-state")]
public sealed class IntegrationState
{
    /// <summary>The settings; null until saved.</summary>
    [Id(0)]
    public IntegrationSettings? Settings { get; set; }
}
