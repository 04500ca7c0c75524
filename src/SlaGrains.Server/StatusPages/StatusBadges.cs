using System.Globalization;
using System.Net;
using System.Text;
using SlaGrains.Application.StatusPages;

namespace SlaGrains.Server.StatusPages;

/// <summary>
/// Embeddable badges in the shields.io "flat" shape: a grey label and a coloured value, 20 px high, text in Verdana 11
/// px. Accessible as an image: <c>role="img"</c>, an <c>aria-label</c> and a <c>&lt;title&gt;</c> saying both parts.
/// Colours carry the state (green, amber, red, blue for maintenance, grey for no data), all dark enough for white text
/// at 4.5:1 or more, so the badge does not rely on a text shadow to be readable. Only presentation attributes, no
/// <c>&lt;style&gt;</c>: the answer's Content-Security-Policy allows nothing to load or run when opened by itself.
/// </summary>
internal static class StatusBadges
{
    /// <summary>The label's background.</summary>
    public const string LabelColour = "#555555";

    /// <summary>Green (operational, uptime ≥ 99.9 %).</summary>
    public const string Good = "#1b5e20";

    /// <summary>Amber (degraded, uptime ≥ 99 %).</summary>
    public const string Fair = "#8a4b00";

    /// <summary>Red (outage, uptime below 99 %).</summary>
    public const string Bad = "#b71c1c";

    /// <summary>Blue (under maintenance).</summary>
    public const string Maintenance = "#0d5ea8";

    /// <summary>Grey (unknown, no data).</summary>
    public const string NoData = "#5f6368";

    /// <summary>The status badge: "status | operational" and so on.</summary>
    public static string Status(PublicStatus page)
    {
        ArgumentNullException.ThrowIfNull(page);
        var (value, colour) = page.Status switch
        {
            "operational" => ("operational", Good),
            "degraded" => ("degraded", Fair),
            "outage" => ("outage", Bad),
            "maintenance" => ("maintenance", Maintenance),
            "unknown" => ("unknown", NoData),
            _ => ("no data", NoData),
        };
        return Svg("status", value, colour);
    }

    /// <summary>The uptime badge over the last <paramref name="days"/> days: "uptime 30d | 99.98%" (two decimals, rounded down), or "no data".</summary>
    public static string Uptime(PublicStatus page, int days)
    {
        ArgumentNullException.ThrowIfNull(page);
        var label = $"uptime {days.ToString(CultureInfo.InvariantCulture)}d";
        if (page.UptimePercent(days) is not { } percent)
        {
            return Svg(label, "no data", NoData);
        }

        var shown = Math.Floor(percent * 100m) / 100m;
        var colour = percent >= 99.9m ? Good : percent >= 99m ? Fair : Bad;
        return Svg(label, $"{shown.ToString("0.00", CultureInfo.InvariantCulture)}%", colour);
    }

    /// <summary>The SVG of a label and a value.</summary>
    public static string Svg(string label, string value, string colour)
    {
        var labelWidth = Width(label);
        var valueWidth = Width(value);
        var width = labelWidth + valueWidth;
        var text = WebUtility.HtmlEncode($"{label}: {value}");
        var l = WebUtility.HtmlEncode(label);
        var v = WebUtility.HtmlEncode(value);
        var w = width.ToString(CultureInfo.InvariantCulture);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"20\" viewBox=\"0 0 {w} 20\" role=\"img\" aria-label=\"{text}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{text}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<clipPath id=\"badge-round\"><rect width=\"{w}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>");
        svg.Append("<g clip-path=\"url(#badge-round)\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{labelWidth}\" height=\"20\" fill=\"{LabelColour}\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" width=\"{valueWidth}\" height=\"20\" fill=\"{colour}\"/>");
        svg.Append("</g>");
        svg.Append("<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(labelWidth / 2.0).ToString("0.#", CultureInfo.InvariantCulture)}\" y=\"14\">{l}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(labelWidth + valueWidth / 2.0).ToString("0.#", CultureInfo.InvariantCulture)}\" y=\"14\">{v}</text>");
        svg.Append("</g></svg>");
        return svg.ToString();
    }

    /// <summary>
    /// A segment's width in px: the text's advance in Verdana 11 px, estimated per character class (no font is read on
    /// the server), plus 6 px padding each side. Generous rather than tight: a clipped badge is worse than a wide one.
    /// </summary>
    internal static int Width(string text)
    {
        double advance = 0;
        foreach (var c in text)
        {
            advance += c switch
            {
                'i' or 'l' or 'j' or '.' or ',' or ':' or ';' or '\'' or '!' or '|' => 3.6,
                'f' or 't' or 'r' or ' ' or '(' or ')' or '-' => 5.0,
                'm' or 'w' => 10.2,
                '%' => 11.9,
                >= 'A' and <= 'Z' => 7.7,
                >= '0' and <= '9' => 7.0,
                _ => 6.9,
            };
        }

        return (int)Math.Ceiling(advance) + 12;
    }
}
