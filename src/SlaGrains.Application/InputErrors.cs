namespace SlaGrains.Application;

/// <summary>Messages per field (the JSON path or parameter name), collected while checking a request; empty when everything is valid.</summary>
public sealed class InputErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>True when any field is invalid.</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>Adds a message for <paramref name="field"/> (both as <see cref="Bounds.Echo"/> gives them: they may repeat what was sent).</summary>
    public void Add(string field, string message)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(message);
        (field, message) = (Bounds.Echo(field, 100), Bounds.Echo(message, 1_000));
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    /// <summary>Builds a domain value; a domain guard's <see cref="ArgumentException"/> (or a <see cref="FormatException"/>) becomes an error on <paramref name="field"/>.</summary>
    public T? Try<T>(string field, Func<T> build)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(build);
        try
        {
            return build();
        }
        catch (Exception error) when (error is ArgumentException or FormatException)
        {
            Add(field, error.Message.Split(" (Parameter", 2)[0]);
            return null;
        }
    }

    /// <summary>As the problem-details <c>errors</c> object.</summary>
    public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
