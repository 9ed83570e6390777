using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace MarketSim.Charts;

/// <summary>
/// A small document model rendered to both Markdown and one self-contained HTML page (charts inlined): the report kit
/// of <c>compare</c>, <c>analyze</c> and <c>calibrate</c>, with <see cref="ReportFormat"/> for its numbers.
/// </summary>
public sealed partial class ReportDocument
{
    private abstract record Block;
    private sealed record Heading(int Level, string Text) : Block;
    private sealed record Paragraph(string Text) : Block;
    private sealed record Bullets(IReadOnlyList<string> Items) : Block;
    private sealed record TableBlock(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, bool[] RightAligned) : Block;
    private sealed record Image(ChartImage Chart) : Block;

    private readonly List<Block> blocks = [];

    /// <summary>The document's title (its first heading and the HTML page's title).</summary>
    public string Title { get; }

    /// <summary>An empty document titled <paramref name="title"/>.</summary>
    public ReportDocument(string title) => Title = title;

    /// <summary>A heading of <paramref name="level"/> (2 for a section; the title is level 1).</summary>
    public void H(int level, string text) => blocks.Add(new Heading(level, text));

    /// <summary>A paragraph; inline markup: <c>**bold**</c>, <c>*italic*</c> and <c>`code`</c>.</summary>
    public void P(string text) => blocks.Add(new Paragraph(text));

    /// <summary>A bullet list (nothing for no items); inline markup as in <see cref="P"/>.</summary>
    public void List(IEnumerable<string> items)
    {
        var list = items.ToList();
        if (list.Count > 0) blocks.Add(new Bullets(list));
    }

    /// <summary>A table; <paramref name="rightAligned"/> are the indices of its numeric columns.</summary>
    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, params int[] rightAligned)
    {
        var aligned = new bool[header.Count];
        foreach (int c in rightAligned) aligned[c] = true;
        blocks.Add(new TableBlock(header, rows.ToList(), aligned));
    }

    /// <summary>A chart: a link to its PNG in Markdown, the image inlined in HTML.</summary>
    public void Chart(ChartImage chart) => blocks.Add(new Image(chart));

    /// <summary>The charts in document order (the PNG files to write beside it).</summary>
    public IEnumerable<ChartImage> Charts => blocks.OfType<Image>().Select(i => i.Chart);

    /// <summary>The document as Markdown.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(Title).Append("\n\n");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading h: sb.Append(new string('#', h.Level)).Append(' ').Append(h.Text).Append("\n\n"); break;
                case Paragraph p: sb.Append(p.Text).Append("\n\n"); break;
                case Bullets b:
                    foreach (var item in b.Items) sb.Append("- ").Append(item).Append('\n');
                    sb.Append('\n');
                    break;
                case TableBlock t:
                    sb.Append("| ").Append(string.Join(" | ", t.Header.Select(Cell))).Append(" |\n|");
                    for (int c = 0; c < t.Header.Count; c++) sb.Append(t.RightAligned[c] ? "---:|" : "---|");
                    sb.Append('\n');
                    foreach (var row in t.Rows) sb.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
                    sb.Append('\n');
                    break;
                case Image i: sb.Append("![").Append(i.Chart.Title).Append("](").Append(i.Chart.FileName).Append(")\n\n"); break;
            }
        }
        return sb.ToString();
    }

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal);

    /// <summary>The document as one self-contained HTML page.</summary>
    public string ToHtml()
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(Enc(Title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n")
          .Append("<h1>").Append(Inline(Title)).Append("</h1>\n");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Heading h: sb.Append($"<h{h.Level}>").Append(Inline(h.Text)).Append($"</h{h.Level}>\n"); break;
                case Paragraph p: sb.Append("<p>").Append(Inline(p.Text)).Append("</p>\n"); break;
                case Bullets b:
                    sb.Append("<ul>\n");
                    foreach (var item in b.Items) sb.Append("<li>").Append(Inline(item)).Append("</li>\n");
                    sb.Append("</ul>\n");
                    break;
                case TableBlock t:
                    sb.Append("<table>\n<thead><tr>");
                    for (int c = 0; c < t.Header.Count; c++) sb.Append(t.RightAligned[c] ? "<th class=\"n\">" : "<th>").Append(Inline(t.Header[c])).Append("</th>");
                    sb.Append("</tr></thead>\n<tbody>\n");
                    foreach (var row in t.Rows)
                    {
                        sb.Append("<tr>");
                        for (int c = 0; c < row.Count; c++) sb.Append(t.RightAligned[c] ? "<td class=\"n\">" : "<td>").Append(Inline(row[c])).Append("</td>");
                        sb.Append("</tr>\n");
                    }
                    sb.Append("</tbody>\n</table>\n");
                    break;
                case Image i:
                    sb.Append("<figure><img alt=\"").Append(Enc(i.Chart.Title)).Append("\" src=\"data:image/png;base64,")
                      .Append(Convert.ToBase64String(i.Chart.Png)).Append("\"><figcaption>").Append(Enc(i.Chart.Title))
                      .Append("</figcaption></figure>\n");
                    break;
            }
        }
        sb.Append("</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    /// <summary>HTML-encodes text, then turns <c>**x**</c> into bold, <c>*x*</c> into italics and <c>`x`</c> into code.</summary>
    private static string Inline(string s)
    {
        string html = Enc(s);
        html = BoldPattern().Replace(html, "<strong>$1</strong>");
        html = ItalicPattern().Replace(html, "<em>$1</em>");
        return CodePattern().Replace(html, "<code>$1</code>");
    }

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex BoldPattern();

    // A single asterisk pair around text that neither starts nor ends with a space (Markdown's emphasis rule), after bold.
    [GeneratedRegex(@"\*(?=\S)([^*]+?)(?<=\S)\*")]
    private static partial Regex ItalicPattern();

    [GeneratedRegex(@"`(.+?)`")]
    private static partial Regex CodePattern();

    private const string Css = """
        body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #222; background: #fff; margin: 0; }
        main { max-width: 1100px; margin: 0 auto; padding: 1.5rem 2rem 4rem; line-height: 1.5; }
        h1 { font-size: 1.8rem; margin-bottom: .3rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
        table { border-collapse: collapse; margin: .8rem 0 1.2rem; font-size: .88rem; width: 100%; }
        th, td { border: 1px solid #ddd; padding: .3rem .5rem; vertical-align: top; overflow-wrap: anywhere; } th { background: #f4f4f4; text-align: left; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1rem 0 1.6rem; } img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { color: #555; font-size: .9rem; } code { background: #f4f4f4; padding: 0 .25rem; border-radius: 3px; }
        """;
}
