using System.Data;
using System.Data.Common;

namespace SlaGrains.Storage.ReadModels;

/// <summary>One parameter of a statement: its name as the SQL text spells it (<c>@name</c>, which Npgsql and Microsoft.Data.Sqlite both bind), its type and value.</summary>
/// <param name="Name">The placeholder, with its <c>@</c>.</param>
/// <param name="Type">The database type; null lets the driver infer it from the value (e.g. a <c>text[]</c> from a string array).</param>
/// <param name="Value">The value; null binds SQL NULL.</param>
internal readonly record struct SqlArgument(string Name, DbType? Type, object? Value);

/// <summary>A statement and its parameters, built once and run on either store.</summary>
/// <param name="Text">The SQL text.</param>
/// <param name="Arguments">Its parameters.</param>
/// <param name="LockKey">For a write: the key of the row it locks (e.g. the ticket id). Writers that run many statements in
/// one transaction run them in (text, key) order, so two transactions lock shared rows in the same order and never deadlock.</param>
internal sealed record SqlStatement(string Text, IReadOnlyList<SqlArgument> Arguments, string? LockKey = null)
{
    /// <summary>Adds the arguments to <paramref name="parameters"/>, creating each with <paramref name="create"/>.</summary>
    public void Bind(DbParameterCollection parameters, Func<DbParameter> create)
    {
        foreach (var argument in Arguments)
        {
            var parameter = create();
            parameter.ParameterName = argument.Name;
            if (argument.Type is { } type)
            {
                // A typed NULL keeps one prepared statement per text on PostgreSQL, whatever is null this time.
                parameter.DbType = type;
            }

            parameter.Value = argument.Value ?? DBNull.Value;
            parameters.Add(parameter);
        }
    }

    /// <summary>Adds the arguments to <paramref name="command"/>.</summary>
    public void Bind(DbCommand command) => Bind(command.Parameters, command.CreateParameter);

    /// <summary>Runs this statement on <paramref name="connection"/> and reads every row with <paramref name="read"/>.</summary>
    public async Task<List<T>> ReadAllAsync<T>(DbConnection connection, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Text;
        Bind(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
