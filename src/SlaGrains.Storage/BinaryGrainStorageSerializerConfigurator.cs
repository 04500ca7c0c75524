using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace SlaGrains.Storage;

/// <summary>
/// Fills in a grain storage's serializer when left null: Orleans' binary serializer
/// (<see cref="OrleansGrainStorageSerializer"/>), so stored state follows <c>[GenerateSerializer]</c>, <c>[Id]</c> and
/// <c>[Alias]</c> and survives type renames — the same bytes on SQLite and PostgreSQL.
/// </summary>
/// <remarks>
/// Orleans' own <c>DefaultStorageProviderSerializerOptionsConfigurator</c> would take the silo's
/// <see cref="IGrainStorageSerializer"/> from DI, which in Orleans 10.4.2 is the Newtonsoft JSON serializer
/// (<c>JsonGrainStorageSerializer</c>): slower, larger, and blind to <c>[Alias]</c>. Register this before the
/// provider so it runs first; a silo that wants another serializer sets the option.
/// </remarks>
internal sealed class BinaryGrainStorageSerializerConfigurator<TOptions>(IServiceProvider services) : IPostConfigureOptions<TOptions>
    where TOptions : class, IStorageProviderSerializerOptions
{
    public void PostConfigure(string? name, TOptions options)
        => options.GrainStorageSerializer ??= new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
}
