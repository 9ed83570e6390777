using System.Text.RegularExpressions;
using MarketSim.ScenarioFiles;

namespace MarketSim.Tests;

/// <summary>
/// Inputs that used to be accepted without a word and then run as something else than written: each must now be one
/// problem at the key that causes it.
/// </summary>
public sealed class SilentAcceptanceTests : IDisposable
{
    private readonly TempScenarios files = new();

    public void Dispose() => files.Dispose();

    /// <summary>YAML lines added to a child of the alliance scenario → pattern of the key the problem must name, and a word of its message.</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        // '$' matches before a final newline; ids, colours and month-days must end where the text ends.
        { "interventions: {\"boost\\n\": {platform: jd, attribute: quality, multiply: 1.1, start: 2020-01-06}}", @"^interventions\.boost\n$", "id" },
        { "calendar: {festivals: {\"late\\n\": {annual: \"11-11\"}}}", @"^calendar\.festivals\.late\n$", "id" },
        { "platforms: {jd: {color: \"#E1251B\\n\"}}", @"^platforms\.jd\.color$", "colour" },
        { "calendar: {festivals: {double_11: {annual: \"11-11\\n\"}}}", @"^calendar\.festivals\.double_11\.annual$", "month" },
        // Order values beyond the bound would overflow a 32-bit order value in fen and saturate GMV.
        { "population: {traits: {order_value_yuan: {distribution: constant, value: 1e300}}}", @"^population\.traits\.order_value_yuan$", "at most 1000" },
        { "population: {traits: {order_value_yuan: {distribution: lognormal, mu: 40, sigma: 1}}}", @"^population\.traits\.order_value_yuan$", "at most 1000" },
        // A consumer follows one streamer group: shares over 1 starve the last groups of a tier.
        { "streamers: {kuaishou_streamers: {follower_share: {t6: 0.95}}}", @"^streamers\.[a-z_]+\.follower_share\.t6$", "add up to" },
        // '~' under a key the base does not have removes nothing: a misspelt removal must not pass unseen.
        { "platforms: {kuaishu: ~}", @"^platforms\.kuaishu$", "did you mean 'kuaishou'" },
        { "alliances: {jd-kuaishu: ~}", @"^alliances\.jd-kuaishu$", "no 'jd-kuaishu' to remove" },
        // A stray key whose value is null is still a stray key.
        { "populaton: ~", @"^populaton$", "unknown key" },
        { "platforms: {jd: {qualty: ~}}", @"^platforms\.jd\.qualty$", "unknown key" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_SilentlyAcceptedBefore_IsOneProblemAtTheKey(string yaml, string keyPattern, string word)
    {
        var path = files.Write("silent.yaml", "extends: jd-kuaishou-alliance.yaml", "name: silent", yaml);

        var result = ScenarioLoader.Load(path);

        Assert.False(result.Ok, "accepted: " + yaml);
        var problem = Assert.Single(result.Problems);
        Assert.Matches(new Regex(keyPattern), problem.Key);
        Assert.Contains(word, problem.Message, StringComparison.Ordinal);
        Assert.Equal(path, problem.File);
    }

    [Fact]
    public void Load_InvalidUtf8_IsReportedWithItsLineNotReplaced()
    {
        string path = Path.Combine(files.Folder, "latin1.yaml");
        File.WriteAllBytes(path, [.. "extends: baseline.yaml\nname: latin\n"u8, .. "description: Caf"u8, 0xE9, .. "\n"u8]);

        var problem = Assert.Single(ScenarioLoader.Load(path).Problems);

        Assert.Equal((3, 17), (problem.Line, problem.Column));
        Assert.Contains("invalid UTF-8", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OrderValueAtTheBound_IsAccepted()
    {
        var path = files.Write("rich.yaml", "extends: baseline.yaml", "name: rich",
            "population: {traits: {order_value_yuan: {distribution: constant, value: 1000}}}");

        Assert.True(ScenarioLoader.Load(path).Ok);
    }
}
