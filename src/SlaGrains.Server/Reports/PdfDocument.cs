using System.Globalization;
using System.Text;

namespace SlaGrains.Server.Reports;

/// <summary>
/// A small PDF 1.4 writer for text documents: A4 pages, the standard Helvetica and Helvetica-Bold fonts (every PDF
/// reader has them, so nothing is embedded) in WinAnsi encoding, text placed at points. It is all a report needs;
/// the output is deterministic (same calls, same bytes) and extracts cleanly with <c>pdftotext</c>.
/// </summary>
/// <remarks>
/// Written here rather than taken from PDFsharp 6.5.0, which is AGPL-3.0-only and refuses to render until the
/// application declares that licence (<c>PdfSharpLicenseException</c>).
/// </remarks>
internal sealed class PdfDocument(string title)
{
    /// <summary>A4 in points.</summary>
    public const double Width = 595.28, Height = 841.89;

    private readonly List<StringBuilder> _pages = [];

    /// <summary>Pages so far.</summary>
    public int PageCount => _pages.Count;

    /// <summary>Starts a new page; text goes to the last page.</summary>
    public void AddPage() => _pages.Add(new StringBuilder());

    /// <summary>Writes <paramref name="text"/> with its baseline at (<paramref name="x"/>, <paramref name="y"/>) from the page's bottom left.</summary>
    public void Text(double x, double y, string text, double size = 9, bool bold = false, int? page = null)
    {
        if (_pages.Count == 0)
        {
            AddPage();
        }

        var content = _pages[page ?? _pages.Count - 1];
        content.Append(CultureInfo.InvariantCulture, $"BT /{(bold ? "F2" : "F1")} {size:0.##} Tf {x:0.##} {y:0.##} Td (").Append(Escape(text)).Append(") Tj ET\n");
    }

    /// <summary>A horizontal rule.</summary>
    public void Rule(double x1, double x2, double y)
        => _pages[^1].Append(CultureInfo.InvariantCulture, $"0.5 w {x1:0.##} {y:0.##} m {x2:0.##} {y:0.##} l S\n");

    /// <summary>The width of <paramref name="text"/> in points, for fitting columns (Helvetica's average glyph width).</summary>
    public static double WidthOf(string text, double size) => text.Length * size * 0.52;

    /// <summary>The document's bytes.</summary>
    public byte[] ToBytes()
    {
        using var output = new MemoryStream();
        var offsets = new List<long>();
        void Write(string s) => output.Write(Encoding.ASCII.GetBytes(s));
        void Object(int id, string body)
        {
            offsets.Add(output.Position);
            Write(string.Create(CultureInfo.InvariantCulture, $"{id} 0 obj\n{body}\nendobj\n"));
        }

        if (_pages.Count == 0)
        {
            AddPage();
        }

        Write("%PDF-1.4\n");
        output.Write([(byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']);

        // 1 catalog, 2 page tree, 3–4 fonts, 5 info, then a page and its content stream per page.
        var pageIds = Enumerable.Range(0, _pages.Count).Select(i => 6 + (2 * i)).ToList();
        Object(1, "<< /Type /Catalog /Pages 2 0 R >>");
        Object(2, $"<< /Type /Pages /Kids [{string.Join(' ', pageIds.Select(id => $"{id} 0 R"))}] /Count {_pages.Count} >>");
        Object(3, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
        Object(4, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
        offsets.Add(output.Position);
        Write("5 0 obj\n<< /Title (");
        output.Write(Escape(title).Select(c => (byte)c).ToArray());
        Write(") /Producer (SlaGrains) >>\nendobj\n");
        for (var i = 0; i < _pages.Count; i++)
        {
            Object(pageIds[i], string.Create(CultureInfo.InvariantCulture,
                $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {Width:0.##} {Height:0.##}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {pageIds[i] + 1} 0 R >>"));
            var stream = _pages[i].ToString().Select(c => (byte)c).ToArray();
            offsets.Add(output.Position);
            Write(string.Create(CultureInfo.InvariantCulture, $"{pageIds[i] + 1} 0 obj\n<< /Length {stream.Length} >>\nstream\n"));
            output.Write(stream);
            Write("\nendstream\nendobj\n");
        }

        var xref = output.Position;
        var table = new StringBuilder().Append(CultureInfo.InvariantCulture, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            table.Append(CultureInfo.InvariantCulture, $"{offset:0000000000} 00000 n \n");
        }

        table.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        Write(table.ToString());
        return output.ToArray();
    }

    /// <summary>
    /// The text as WinAnsi characters (one char per byte) in a PDF literal string: parentheses and backslashes
    /// escaped, the typographic characters WinAnsi has mapped to its codes, arrows and comparisons spelled out, anything else as '?'.
    /// </summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text.Replace("→", "->", StringComparison.Ordinal).Replace("≥", ">=", StringComparison.Ordinal).Replace("≤", "<=", StringComparison.Ordinal))
        {
            var code = c switch
            {
                '€' => '\x80',
                '‘' => '\x91',
                '’' => '\x92',
                '“' => '\x93',
                '”' => '\x94',
                '•' => '\x95',
                '–' => '\x96',
                '—' => '\x97',
                >= ' ' and <= '~' => c,
                >= '\xA0' and <= '\xFF' => c,
                _ => '?',
            };
            if (code is '(' or ')' or '\\')
            {
                escaped.Append('\\');
            }

            escaped.Append(code);
        }

        return escaped.ToString();
    }
}
