using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace SlaGrains.Server.Reports;

/// <summary>A column of a <see cref="ReportLayout.Table"/>: its header, its share of the text width, and whether figures align right.</summary>
internal sealed record ReportColumn(string Header, double Share, bool Numeric = false);

/// <summary>
/// Flowing text on A4 pages with PDFsharp: a cursor that goes down the page and starts a new one when the next block
/// does not fit, tables whose rows wrap in their cells and whose header is drawn again on every page they continue on,
/// and a footer drawn on every page once the page count is known.
/// </summary>
internal sealed class ReportLayout : IDisposable
{
    /// <summary>A4 in points, and the text area inside the margins (y grows downwards, as in PDFsharp).</summary>
    public const double PageWidth = 595.28, PageHeight = 841.89, Left = 42, Right = PageWidth - 42, Top = 46, Bottom = PageHeight - 70;

    private static readonly XBrush Ink = XBrushes.Black;
    private static readonly XBrush Muted = new XSolidBrush(XColor.FromArgb(90, 90, 90));
    private static readonly XBrush HeaderFill = new XSolidBrush(XColor.FromArgb(232, 236, 241));
    private static readonly XPen Rule = new(XColor.FromArgb(160, 160, 160), 0.5);
    private static readonly XBrush BannerFill = new XSolidBrush(XColor.FromArgb(255, 236, 179));
    private static readonly XPen BannerRule = new(XColor.FromArgb(191, 128, 0), 1);

    private readonly PdfDocument _document = new();
    private XGraphics? _page;
    private double _y;

    public ReportLayout(string family, string title, Instant generatedAt)
    {
        var unicode = new XPdfFontOptions(PdfFontEncoding.Unicode);
        Body = new XFont(family, 9, XFontStyleEx.Regular, unicode);
        BodyBold = new XFont(family, 9, XFontStyleEx.Bold, unicode);
        Small = new XFont(family, 8, XFontStyleEx.Regular, unicode);
        SmallBold = new XFont(family, 8, XFontStyleEx.Bold, unicode);
        Tiny = new XFont(family, 7, XFontStyleEx.Regular, unicode);
        HeadingFont = new XFont(family, 11.5, XFontStyleEx.Bold, unicode);
        TitleFont = new XFont(family, 16, XFontStyleEx.Bold, unicode);
        _document.Info.Title = title;
        _document.Info.Author = "SlaGrains";
        _document.Info.Creator = "SlaGrains";
        // The report's own time, not the clock's: two renderings of one archived report carry the same date.
        _document.Info.CreationDate = generatedAt.ToDateTimeUtc();
        _document.Info.ModificationDate = generatedAt.ToDateTimeUtc();
    }

    public XFont Body { get; }

    public XFont BodyBold { get; }

    public XFont Small { get; }

    public XFont SmallBold { get; }

    public XFont Tiny { get; }

    public XFont HeadingFont { get; }

    public XFont TitleFont { get; }

    /// <summary>Pages so far.</summary>
    public int PageCount => _document.PageCount;

    /// <summary>The current page's drawing surface (the first page is started on demand).</summary>
    public XGraphics Page => _page ?? NewPage();

    /// <summary>Where the next block starts, in points from the page's top.</summary>
    public double Y => _y;

    /// <summary>Starts a new page when <paramref name="height"/> points do not fit on this one.</summary>
    public void Need(double height)
    {
        if (_page is null || _y + height > Bottom)
        {
            NewPage();
        }
    }

    /// <summary>Moves the cursor down.</summary>
    public void Advance(double height) => _y += height;

    public void Title(string text)
    {
        Need(26);
        Page.DrawString(text, TitleFont, Ink, Left, _y + 16);
        _y += 26;
    }

    /// <summary>A section heading, kept on a page with at least <paramref name="keepWith"/> points of what follows.</summary>
    public void Heading(string text, double keepWith = 40)
    {
        Need(24 + keepWith);
        _y += 8;
        Page.DrawString(text, HeadingFont, Ink, Left, _y + 11.5);
        _y += 17;
    }

    /// <summary>A paragraph wrapped to the text width.</summary>
    public void Paragraph(string text, XFont? font = null)
    {
        font ??= Body;
        foreach (var line in Wrap(text, font, Right - Left))
        {
            Need(12);
            Page.DrawString(line, font, Ink, Left, _y + 9);
            _y += 12;
        }
    }

    /// <summary>Label and value pairs: the label bold, the value wrapped in the column beside it.</summary>
    public void Pairs(params (string Label, string Value)[] pairs)
    {
        const double valueX = Left + 130;
        foreach (var (label, value) in pairs)
        {
            var lines = Wrap(value, Body, Right - valueX);
            Need(12 * lines.Count);
            Page.DrawString(label, BodyBold, Ink, Left, _y + 9);
            foreach (var line in lines)
            {
                Page.DrawString(line, Body, Ink, valueX, _y + 9);
                _y += 12;
            }
        }
    }

    /// <summary>
    /// A table: a shaded header row and one row per entry, each cell wrapped in its column. A row that does not fit goes
    /// to a new page, which starts with "<paramref name="caption"/> (continued)" and the header row again.
    /// Without rows it says "<paramref name="none"/>".
    /// </summary>
    public void Table(string caption, IReadOnlyList<ReportColumn> columns, IEnumerable<string[]> rows, string none = "None.")
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            Paragraph(none);
            return;
        }

        const double lineHeight = 10.5, padding = 3;
        var total = columns.Sum(c => c.Share);
        var xs = new double[columns.Count + 1];
        xs[0] = Left;
        for (var i = 0; i < columns.Count; i++)
        {
            xs[i + 1] = xs[i] + ((Right - Left) * columns[i].Share / total);
        }

        List<string>[] Cells(IReadOnlyList<string> cells, XFont font)
            => [.. columns.Select((_, i) => Wrap(cells[i], font, xs[i + 1] - xs[i] - (2 * padding)))];

        var header = Cells([.. columns.Select(c => c.Header)], SmallBold);
        var headerHeight = (header.Max(c => c.Count) * lineHeight) + (2 * padding);

        void Row(List<string>[] cells, XFont font, double height, bool shaded)
        {
            if (shaded)
            {
                Page.DrawRectangle(HeaderFill, Left, _y, Right - Left, height);
            }

            for (var i = 0; i < columns.Count; i++)
            {
                for (var l = 0; l < cells[i].Count; l++)
                {
                    var baseline = _y + padding + 7.5 + (l * lineHeight);
                    var x = columns[i].Numeric ? xs[i + 1] - padding - Page.MeasureString(cells[i][l], font).Width : xs[i] + padding;
                    Page.DrawString(cells[i][l], font, Ink, x, baseline);
                }
            }

            _y += height;
            Page.DrawLine(Rule, Left, _y, Right, _y);
        }

        var first = Cells(list[0], Small);
        Need(headerHeight + (first.Max(c => c.Count) * lineHeight) + (2 * padding));
        Row(header, SmallBold, headerHeight, shaded: true);
        foreach (var entry in list)
        {
            var cells = Cells(entry, Small);
            var height = (cells.Max(c => c.Count) * lineHeight) + (2 * padding);
            if (_y + height > Bottom)
            {
                NewPage();
                Page.DrawString($"{caption} (continued)", BodyBold, Ink, Left, _y + 9);
                _y += 15;
                Row(header, SmallBold, headerHeight, shaded: true);
            }

            Row(cells, Small, height, shaded: false);
        }

        _y += 6;
    }

    /// <summary>
    /// Draws the footer on every page (number and count known now) and, when <paramref name="banner"/> is given, a
    /// shaded banner with it in the top margin of every page (a provisional report's mark); returns the document's bytes.
    /// </summary>
    public byte[] Finish(Func<int, int, (string Left, string Right, string Second)> footer, string? banner = null)
    {
        if (_page is null)
        {
            NewPage();
        }

        _page!.Dispose();
        _page = null;
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var page = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            var (left, right, second) = footer(i + 1, count);
            page.DrawLine(Rule, Left, PageHeight - 56, Right, PageHeight - 56);
            page.DrawString(left, Tiny, Muted, Left, PageHeight - 46);
            page.DrawString(right, Tiny, Muted, Right - page.MeasureString(right, Tiny).Width, PageHeight - 46);
            page.DrawString(second, Tiny, Muted, Left, PageHeight - 36);
            if (banner is not null)
            {
                // In the top margin, above where the page's text starts, so it never covers a figure.
                page.DrawRectangle(BannerRule, BannerFill, Left, 14, Right - Left, 24);
                page.DrawString(banner, SmallBold, Ink, Left + 6, 29);
            }
        }

        using var output = new MemoryStream();
        _document.Save(output, closeStream: false);
        return output.ToArray();
    }

    public void Dispose()
    {
        _page?.Dispose();
        _document.Dispose();
    }

    /// <summary><paramref name="text"/> in lines no wider than <paramref name="width"/> points: at spaces, or inside a word longer than a line.</summary>
    public List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        var line = string.Empty;
        foreach (var word in text.Split(' '))
        {
            var next = line.Length == 0 ? word : $"{line} {word}";
            if (Measure(next, font) <= width)
            {
                line = next;
                continue;
            }

            if (line.Length > 0)
            {
                lines.Add(line);
            }

            line = word;
            while (line.Length > 1 && Measure(line, font) > width)
            {
                var fits = 1;
                while (fits < line.Length && Measure(line[..(fits + 1)], font) <= width)
                {
                    fits++;
                }

                lines.Add(line[..fits]);
                line = line[fits..];
            }
        }

        lines.Add(line);
        return lines;
    }

    /// <summary>A number for a label: invariant, up to <paramref name="decimals"/> places.</summary>
    public static string Number(decimal value, int decimals)
        => value.ToString("0." + new string('#', decimals), CultureInfo.InvariantCulture);

    private double Measure(string text, XFont font) => Page.MeasureString(text, font).Width;

    private XGraphics NewPage()
    {
        _page?.Dispose();
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        _page = XGraphics.FromPdfPage(page);
        _y = Top;
        return _page;
    }
}
