using System.Reflection;
using SlaGrains.Contracts.Serialization;

namespace SlaGrains.Contracts.Tests.Serialization;

public sealed class SurrogateConventionTests
{
    private static readonly Type[] SerializationTypes = typeof(InstantSurrogate).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(InstantSurrogate).Namespace)
        .ToArray();

    [Fact]
    public void Every_generated_serializer_carries_an_alias_so_renaming_a_type_never_breaks_stored_data()
    {
        var generated = SerializationTypes.Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null).ToList();
        Assert.NotEmpty(generated);
        var unaliased = generated.Where(t => t.GetCustomAttribute<AliasAttribute>() is null).Select(t => t.Name);
        Assert.Empty(unaliased);
    }

    [Fact]
    public void Aliases_are_unique_and_in_the_slagrains_namespace()
    {
        var aliases = SerializationTypes
            .Select(t => t.GetCustomAttribute<AliasAttribute>()?.Alias)
            .OfType<string>()
            .ToList();
        Assert.All(aliases, alias => Assert.StartsWith("slagrains.", alias, StringComparison.Ordinal));
        Assert.Equal(aliases.Count, aliases.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Every_surrogate_has_a_registered_converter()
    {
        var surrogates = SerializationTypes.Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null && t.Name.EndsWith("Surrogate", StringComparison.Ordinal));
        var converted = SerializationTypes
            .Where(t => t.GetCustomAttribute<RegisterConverterAttribute>() is not null)
            .SelectMany(t => t.GetInterfaces())
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConverter<,>))
            .Select(i => i.GetGenericArguments()[1])
            .ToHashSet();

        // The time zone travels through a codec for all of DateTimeZone's subclasses instead of a converter.
        Assert.Empty(surrogates.Where(s => !converted.Contains(s) && s != typeof(DateTimeZoneSurrogate)).Select(s => s.Name));
    }
}
