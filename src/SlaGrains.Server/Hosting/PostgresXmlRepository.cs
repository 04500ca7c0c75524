using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace SlaGrains.Server.Hosting;

/// <summary>
/// The data protection key ring in the cluster's PostgreSQL database (<c>slagrains_dataprotection_key</c>, created by
/// schema migration 2), so every silo's web host reads and writes the same keys.
/// </summary>
/// <remarks>
/// Synchronous because <see cref="IXmlRepository"/> is; the framework calls it rarely (at start, when a key is
/// created, and when its cached key ring expires, about once a day). The schema must exist first:
/// <see cref="SharedKeyRing"/> ensures it before anything reads keys.
/// </remarks>
internal sealed class PostgresXmlRepository(string connectionString) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT Xml FROM slagrains_dataprotection_key ORDER BY Id", connection);
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("INSERT INTO slagrains_dataprotection_key (FriendlyName, Xml) VALUES (@name, @xml)", connection);
        command.Parameters.AddWithValue("name", (object?)friendlyName ?? DBNull.Value);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
