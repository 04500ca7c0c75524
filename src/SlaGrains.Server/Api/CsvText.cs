using System.Globalization;
using CsvHelper;

namespace SlaGrains.Server.Api;

/// <summary>
/// CSV downloads (reports, the status page's months): invariant numbers, instants as ISO 8601, booleans as
/// true/false, <c>\n</c> line ends, and blank lines between tables whose columns differ.
/// </summary>
internal sealed class CsvText : IDisposable
{
    private readonly StringWriter _text = new(CultureInfo.InvariantCulture);
    private readonly CsvWriter _csv;

    public CsvText()
        => _csv = CsvWriter.Create(_text, new CsvWriterOptions { ValidateFieldCount = false, NewLine = "\n" }, leaveOpen: true);

    /// <summary>One record.</summary>
    public void Row(params object?[] fields)
    {
        foreach (var field in fields)
        {
            _csv.WriteField(field switch
            {
                null => string.Empty,
                Instant i => Json.NodaTimeJson.FormatInstant(i),
                YearMonth m => m.ToString("yyyy-MM", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => field.ToString() ?? string.Empty,
            });
        }

        _csv.EndRecord();
    }

    /// <summary>A blank line between tables (a CSV record needs a field, so it is written around the writer).</summary>
    public void Blank()
    {
        _csv.Flush();
        _text.Write('\n');
    }

    /// <summary>The text so far.</summary>
    public override string ToString()
    {
        _csv.Flush();
        return _text.ToString();
    }

    public void Dispose()
    {
        _csv.Dispose();
        _text.Dispose();
    }
}
