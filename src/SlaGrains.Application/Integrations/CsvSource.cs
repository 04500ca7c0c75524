using System.Collections.Immutable;
using System.Text;

namespace SlaGrains.Application.Integrations;

/// <summary>
/// Bulk import of tickets with their history as CSV (RFC 4180; docs/integrations.md, "CSV import"): a header row
/// naming the columns (<c>ticketId,eventId,type,at,customer,status,priority,subject,team,assignee</c>, in any order;
/// <c>ticketId</c>, <c>type</c> and <c>at</c> required), then one row per event in the generic vocabulary and our own
/// status and priority names. Rows are numbered as a spreadsheet numbers them: the header is row 1.
/// </summary>
public sealed class CsvSource : ITicketSource
{
    /// <summary>Largest file read.</summary>
    public const int MaxBytes = 16 * 1024 * 1024;

    /// <summary>Most event rows one file holds.</summary>
    public const int MaxRows = 50_000;

    /// <summary>Most bad rows reported for one file (a wrong file would otherwise answer with one error per row).</summary>
    public const int MaxErrors = 50;

    /// <summary>Every column the file may have.</summary>
    public static readonly ImmutableArray<string> Columns = ["ticketId", "eventId", "type", "at", "customer", "status", "priority", "subject", "team", "assignee"];

    private static readonly ImmutableArray<string> RequiredColumns = ["ticketId", "type", "at"];

    private static readonly IReadOnlyDictionary<string, string> Ours = SourceReading.Map(
        ("new", "new"), ("open", "open"), ("inProgress", "inProgress"), ("waitingOnCustomer", "waitingOnCustomer"),
        ("onHold", "onHold"), ("resolved", "resolved"), ("closed", "closed"));

    /// <inheritdoc />
    public string Name => "csv";

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultStatuses => Ours;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, string> DefaultPriorities { get; } = SourceReading.Map(("p1", "p1"), ("p2", "p2"), ("p3", "p3"), ("p4", "p4"));

    /// <inheritdoc />
    public string? VerifySignature(IntegrationRequest request, string? secret, Instant now)
        => string.IsNullOrEmpty(secret) ? null : "The csv source has no signature scheme: an integration key is its only credential; remove its secret.";

    /// <inheritdoc />
    public Result<ImmutableArray<ExternalTicketEvent>> Read(IntegrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is { } contentType && !contentType.Split(';')[0].Trim().Equals("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            return Failure.Invalid("Content-Type", "The csv source takes text/csv.");
        }

        if (request.Body.Length > MaxBytes)
        {
            return Failure.Invalid("$", $"The file has {request.Body.Length} bytes; at most {MaxBytes} are read.");
        }

        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(request.Body.Span);
        }
        catch (DecoderFallbackException)
        {
            return Failure.Invalid("$", "The file is not UTF-8 text.");
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        var errors = new InputErrors();
        var events = ImmutableArray.CreateBuilder<ExternalTicketEvent>();
        var reader = new Rfc4180Reader(text);
        var header = reader.Next(out var headerError);
        if (headerError is not null || header is null)
        {
            return Failure.Invalid("row 1", headerError ?? "The file is empty: the first row must name the columns (ticketId,type,at, …).");
        }

        var positions = Header(header, errors);
        if (errors.Any)
        {
            return Failure.Invalid(errors);
        }

        var badRows = 0;
        while (true)
        {
            var row = reader.Row;
            var fields = reader.Next(out var rowError);
            if (rowError is not null)
            {
                errors.Add($"row {row}", $"row {row}: {rowError}");
                break;
            }

            if (fields is null)
            {
                break;
            }

            if (fields is [""])
            {
                // A blank line (often the last) holds no event.
                continue;
            }

            if (events.Count >= MaxRows)
            {
                errors.Add($"row {row}", $"The file holds more than {MaxRows} events; split it.");
                break;
            }

            if (fields.Count != header.Count)
            {
                errors.Add($"row {row}", $"row {row} has {fields.Count} fields; the header has {header.Count}.");
                badRows++;
            }
            else
            {
                var rowErrors = new InputErrors();
                if (ReadRow(row, fields, positions, rowErrors) is { } ev)
                {
                    events.Add(ev);
                }
                else
                {
                    badRows++;
                    foreach (var (field, messages) in rowErrors.ToDictionary())
                    {
                        foreach (var message in messages)
                        {
                            errors.Add(field, message);
                        }
                    }
                }
            }

            if (badRows >= MaxErrors)
            {
                break;
            }
        }

        return SourceReading.Done(errors, events);
    }

    private static Dictionary<string, int> Header(IReadOnlyList<string> header, InputErrors errors)
    {
        var positions = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            var column = Columns.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (column is null)
            {
                errors.Add($"row 1, column {Bounds.Echo(name, 40)}", $"row 1: unknown column '{Bounds.Echo(name, 40)}'; the columns are {string.Join(',', Columns)}.");
            }
            else if (!positions.TryAdd(column, i))
            {
                errors.Add($"row 1, column {column}", $"row 1: column {column} appears twice.");
            }
        }

        foreach (var required in RequiredColumns.Where(c => !positions.ContainsKey(c)))
        {
            errors.Add($"row 1, column {required}", $"row 1: the header must name column {required}.");
        }

        return positions;
    }

    private static ExternalTicketEvent? ReadRow(int row, IReadOnlyList<string> fields, Dictionary<string, int> positions, InputErrors errors)
    {
        string? Field(string column, int maxLength, bool required = false)
        {
            var value = positions.TryGetValue(column, out var index) ? Bounds.Blank(fields[index]) : null;
            var where = $"row {row}, column {column}";
            if (value is null)
            {
                if (required)
                {
                    errors.Add(where, $"{where}: required.");
                }

                return null;
            }

            if (value.Length > maxLength)
            {
                errors.Add(where, $"{where}: {value.Length} characters; at most {maxLength}.");
                return null;
            }

            if (!Bounds.IsPrintable(value))
            {
                errors.Add(where, $"{where}: holds control characters.");
                return null;
            }

            return value;
        }

        var ticketId = Field("ticketId", SourceReading.MaxIdLength, required: true);
        var eventId = Field("eventId", SourceReading.MaxIdLength);
        var type = Field("type", 40, required: true);
        var atText = Field("at", 64, required: true);
        var customer = Field("customer", Bounds.IdLength);
        var status = Field("status", SourceReading.MaxValueLength);
        var priority = Field("priority", SourceReading.MaxValueLength);
        var subject = Field("subject", Bounds.SubjectLength);
        var team = Field("team", SourceReading.MaxValueLength);
        var assignee = Field("assignee", SourceReading.MaxValueLength);

        if (type is not null && !TicketEventTypes.All.Contains(type, StringComparer.Ordinal))
        {
            errors.Add($"row {row}, column type", $"row {row}, column type: '{Bounds.Echo(type, 40)}' is not one of {string.Join(", ", TicketEventTypes.All)}.");
            type = null;
        }

        Instant? at = atText is null ? null : SourceReading.ParseInstant(atText, $"row {row}, column at", errors);
        if (type == TicketEventTypes.Created && priority is null)
        {
            errors.Add($"row {row}, column priority", $"row {row}, column priority: required for a created event.");
        }

        if (type == TicketEventTypes.Status && status is null)
        {
            errors.Add($"row {row}, column status", $"row {row}, column status: required for a status event.");
        }

        if (type == TicketEventTypes.Priority && priority is null)
        {
            errors.Add($"row {row}, column priority", $"row {row}, column priority: required for a priority event.");
        }

        if (type == TicketEventTypes.Assigned && team is null && assignee is null)
        {
            errors.Add($"row {row}, column team", $"row {row}, column team: an assigned event names a team, an assignee or both.");
        }

        if (errors.Any || ticketId is null || type is null || at is null)
        {
            return null;
        }

        var id = eventId ?? SourceReading.HashId(ticketId, type, at.Value, customer, status, priority, subject, team, assignee);
        return new ExternalTicketEvent(id, ticketId, type, at.Value, customer, status, priority, subject, team, assignee);
    }

    /// <summary>
    /// Reads RFC 4180 records: fields separated by commas, records by CRLF (or LF), a field in double quotes may hold
    /// commas, line breaks and doubled quotes. A quote inside an unquoted field, text after a closing quote, or a
    /// quote never closed is an error.
    /// </summary>
    private sealed class Rfc4180Reader(string text)
    {
        private const int MaxFieldLength = 100_000;
        private const int MaxFields = 64;
        private int _position;

        /// <summary>The row number (1-based, as a spreadsheet shows it) of the record <see cref="Next"/> reads next.</summary>
        public int Row { get; private set; } = 1;

        /// <summary>The next record's fields, or null at the end (or on an error, which <paramref name="error"/> then says).</summary>
        public List<string>? Next(out string? error)
        {
            error = null;
            if (_position >= text.Length)
            {
                return null;
            }

            var fields = new List<string>();
            var field = new StringBuilder();
            while (true)
            {
                if (_position < text.Length && text[_position] == '"')
                {
                    _position++;
                    while (true)
                    {
                        if (_position >= text.Length)
                        {
                            error = $"a quoted field in column {fields.Count + 1} is never closed.";
                            return null;
                        }

                        var c = text[_position++];
                        if (c == '"')
                        {
                            if (_position < text.Length && text[_position] == '"')
                            {
                                field.Append('"');
                                _position++;
                                continue;
                            }

                            break;
                        }

                        field.Append(c);
                        if (field.Length > MaxFieldLength)
                        {
                            error = $"the field in column {fields.Count + 1} is longer than {MaxFieldLength} characters.";
                            return null;
                        }
                    }

                    if (_position < text.Length && text[_position] is not (',' or '\r' or '\n'))
                    {
                        error = $"text follows the closing quote of the field in column {fields.Count + 1}.";
                        return null;
                    }
                }
                else
                {
                    while (_position < text.Length && text[_position] is not (',' or '\r' or '\n'))
                    {
                        if (text[_position] == '"')
                        {
                            error = $"a quote inside the unquoted field in column {fields.Count + 1}: quote the whole field and double the quote.";
                            return null;
                        }

                        field.Append(text[_position++]);
                        if (field.Length > MaxFieldLength)
                        {
                            error = $"the field in column {fields.Count + 1} is longer than {MaxFieldLength} characters.";
                            return null;
                        }
                    }
                }

                fields.Add(field.ToString());
                field.Clear();
                if (fields.Count > MaxFields)
                {
                    error = $"more than {MaxFields} fields.";
                    return null;
                }

                if (_position >= text.Length)
                {
                    Row++;
                    return fields;
                }

                var separator = text[_position++];
                if (separator == ',')
                {
                    continue;
                }

                if (separator == '\r' && _position < text.Length && text[_position] == '\n')
                {
                    _position++;
                }

                Row++;
                return fields;
            }
        }
    }
}
