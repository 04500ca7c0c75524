using System.Collections.Immutable;
using System.Security.Cryptography;
using SlaGrains.Contracts.Channels;
using SlaGrains.Grains.Shell;

namespace SlaGrains.Grains.Channels;

/// <summary>Makes the link-signing secret once and keeps it (see <see cref="ISigningKeyGrain"/>).</summary>
public sealed class SigningKeyGrain([PersistentState("signing-key")] IPersistentState<SigningKeyState> state) : Grain, ISigningKeyGrain
{
    /// <inheritdoc />
    public async Task<ImmutableArray<byte>> Secret()
    {
        if (state.State.Secret is not { Length: > 0 })
        {
            // Written before it is handed out: a secret that signed a link and was then lost would void that link.
            var secret = RandomNumberGenerator.GetBytes(32);
            await GrainShell.CommitAsync(this, state, s => s.Secret = secret);
        }

        return [.. state.State.Secret!];
    }
}

/// <summary>The signing key's durable state.</summary>
[GenerateSerializer]
[Alias("slagrains.signing-key-state")]
public sealed class SigningKeyState
{
    /// <summary>The secret; null until first use.</summary>
    [Id(0)]
    public byte[]? Secret { get; set; }
}
