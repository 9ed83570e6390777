namespace MarketSim.Charts;

/// <summary>One chart of a report: file name, what it shows (alt text) and the PNG.</summary>
/// <param name="FileName">PNG file name in the report's folder.</param>
/// <param name="Title">Caption and alt text.</param>
/// <param name="Png">Image bytes.</param>
public sealed record ChartImage(string FileName, string Title, byte[] Png);
