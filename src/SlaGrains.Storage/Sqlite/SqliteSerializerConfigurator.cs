using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;

namespace SlaGrains.Storage.Sqlite;

/// <summary>
/// Fills in <see cref="SqliteStorageOptions.GrainStorageSerializer"/> when left null: Orleans' binary serializer
/// (<see cref="OrleansGrainStorageSerializer"/>), so stored state follows <c>[GenerateSerializer]</c>, <c>[Id]</c> and
/// <c>[Alias]</c> and survives type renames.
/// </summary>
/// <remarks>
/// Orleans' own <c>DefaultStorageProviderSerializerOptionsConfigurator</c> would take the silo's
/// <see cref="IGrainStorageSerializer"/> from DI, which in Orleans 10.4.2 is the Newtonsoft JSON serializer
/// (<c>JsonGrainStorageSerializer</c>), not the binary one. A silo that wants another serializer sets the option.
/// </remarks>
internal sealed class SqliteSerializerConfigurator(IServiceProvider services) : IPostConfigureOptions<SqliteStorageOptions>
{
    public void PostConfigure(string? name, SqliteStorageOptions options)
        => options.GrainStorageSerializer ??= new OrleansGrainStorageSerializer(services.GetRequiredService<Serializer>());
}
