using System.Globalization;
using CsvHelper;

namespace SlaGrains.Server.Api;

/// <summary>
/// CSV downloads (reports, the status page's months): invariant numbers, instants as ISO 8601, booleans as
/// true/false, <c>\n</c> line ends, and blank lines between tables whose columns differ. Text cells that a
/// spreadsheet would run as a formula are neutralised (see <see cref="Text"/>); numbers are written as numbers.
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
            switch (field)
            {
                case null:
                    _csv.WriteField(string.Empty);
                    break;
                case Instant i:
                    _csv.WriteField(Json.NodaTimeJson.FormatInstant(i));
                    break;
                case LocalDate d:
                    _csv.WriteField(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                    break;
                case YearMonth m:
                    _csv.WriteField(m.ToString("yyyy-MM", CultureInfo.InvariantCulture));
                    break;
                case bool b:
                    _csv.WriteField(b ? "true" : "false");
                    break;
                case IFormattable f:
                    // Numbers (and enum names) formatted here: a negative amount stays a number a spreadsheet can sum.
                    _csv.WriteField(f.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    Text(field.ToString() ?? string.Empty);
                    break;
            }
        }

        _csv.EndRecord();
    }

    /// <summary>
    /// Text that came from people (subjects, customer and monitor names): a cell starting with <c>=</c>, <c>+</c>,
    /// <c>-</c>, <c>@</c>, tab or CR would be run as a formula by a spreadsheet (OWASP CSV injection), so it is
    /// prefixed with a single quote, which makes it text, and quoted.
    /// </summary>
    private void Text(string text)
    {
        if (IsFormula(text))
        {
            _csv.WriteField("'" + text, CsvQuoting.Always);
        }
        else
        {
            _csv.WriteField(text);
        }
    }

    /// <summary>Whether a spreadsheet would read the text as a formula.</summary>
    internal static bool IsFormula(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

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
